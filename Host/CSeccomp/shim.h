/*
 * CSeccomp: libseccomp (Debian libseccomp-dev) plus the few pieces of a worker's sandbox
 * that must be C: libseccomp's variadic rule functions and action macros get fixed-arity
 * wrappers, and the signal handlers that turn a trapped system call into an errno (and
 * remember it) or a memory-limit crash into a distinct exit code run without Swift.
 */
#ifndef RENUM_CSECCOMP_SHIM_H
#define RENUM_CSECCOMP_SHIM_H

#include <seccomp.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <spawn.h>
#include <unistd.h>

/* GNU extensions the Glibc module does not show without _GNU_SOURCE (glibc >= 2.34). */
extern int unshare(int flags);
extern int setresuid(uid_t ruid, uid_t euid, uid_t suid);
extern int setresgid(gid_t rgid, gid_t egid, gid_t sgid);
static inline int renum_setresuid(uid_t uid) { return setresuid(uid, uid, uid); }
static inline int renum_setresgid(gid_t gid) { return setresgid(gid, gid, gid); }
extern int posix_spawn_file_actions_addclosefrom_np(posix_spawn_file_actions_t *actions, int from);
extern int posix_spawn_file_actions_addchdir_np(posix_spawn_file_actions_t *actions, const char *path);
extern char **environ;
/* execveat(fd, "", argv, environ, AT_EMPTY_PATH): run the already-open executable again. */
static inline int renum_exec_fd(int fd, char *const argv[]) {
    return (int)syscall(SYS_execveat, fd, "", argv, environ, 0x1000 /* AT_EMPTY_PATH */);
}
static inline int renum_set_no_new_privs(void) { return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); }
static inline int renum_set_not_dumpable(void) { return prctl(PR_SET_DUMPABLE, 0, 0, 0, 0); }
static inline int renum_unshare(int flags) { return unshare(flags); }
static inline int renum_spawn_closefrom(posix_spawn_file_actions_t *actions, int from) {
    return posix_spawn_file_actions_addclosefrom_np(actions, from);
}
static inline int renum_spawn_chdir(posix_spawn_file_actions_t *actions, const char *path) {
    return posix_spawn_file_actions_addchdir_np(actions, path);
}

/* Worker exit code: the plugin ran out of its memory budget (see renum_sandbox_fault). */
#define RENUM_WORKER_EXIT_MEMORY_LIMIT 70

static inline uint32_t renum_seccomp_act_allow(void) { return SCMP_ACT_ALLOW; }
static inline uint32_t renum_seccomp_act_trap(void) { return SCMP_ACT_TRAP; }
static inline uint32_t renum_seccomp_act_kill_process(void) { return SCMP_ACT_KILL_PROCESS; }
static inline uint32_t renum_seccomp_act_errno(int error) { return SCMP_ACT_ERRNO(error); }

/* A rule on the syscall alone. */
static inline int renum_seccomp_rule(scmp_filter_ctx ctx, uint32_t action, int syscall) {
    return seccomp_rule_add(ctx, action, syscall, 0);
}
/* A rule matching (arg & mask) == value. */
static inline int renum_seccomp_rule_masked(scmp_filter_ctx ctx, uint32_t action, int syscall,
                                            unsigned arg, uint64_t mask, uint64_t value) {
    return seccomp_rule_add(ctx, action, syscall, 1, SCMP_CMP(arg, SCMP_CMP_MASKED_EQ, mask, value));
}
/* A rule matching arg > value (unsigned). */
static inline int renum_seccomp_rule_greater(scmp_filter_ctx ctx, uint32_t action, int syscall,
                                             unsigned arg, uint64_t value) {
    return seccomp_rule_add(ctx, action, syscall, 1, SCMP_CMP(arg, SCMP_CMP_GT, value));
}
/* A rule matching arg != value. */
static inline int renum_seccomp_rule_not_equal(scmp_filter_ctx ctx, uint32_t action, int syscall,
                                               unsigned arg, uint64_t value) {
    return seccomp_rule_add(ctx, action, syscall, 1, SCMP_CMP(arg, SCMP_CMP_NE, value));
}

/* ---- Trapped system calls and faults (state of the worker process) ---- */

/* Set by the SIGSYS handler on the thread that made a refused call; read and cleared by
 * the worker around each invoke so the refusal is attributed to that call. */
static __thread int renum_thread_denied_syscall = -1;
static __thread int renum_thread_memory_refused = 0;
/* Process-wide: an allocation over the budget was refused at some point. */
static volatile sig_atomic_t renum_memory_refused_any = 0;
/* The plugin's budget (policy.max_memory_mb) and the address-space size once loaded. */
static volatile long renum_memory_budget_bytes = 0;
static volatile long renum_memory_baseline_bytes = 0;

/* Address-space size now (VmSize, from /proc/self/statm; async-signal-safe). */
static inline long renum_address_space_bytes(void) {
    int fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    char buffer[64];
    ssize_t n = read(fd, buffer, sizeof buffer - 1);
    close(fd);
    if (n <= 0) return -1;
    long pages = 0;
    for (ssize_t i = 0; i < n && buffer[i] >= '0' && buffer[i] <= '9'; i++) pages = pages * 10 + (buffer[i] - '0');
    return pages * sysconf(_SC_PAGESIZE);
}

/* 1 when the address space grew by >= 90% of the budget since load (the rule for "out of memory"). */
static inline int renum_sandbox_near_memory_limit(void) {
    long budget = renum_memory_budget_bytes;
    if (budget <= 0 || renum_memory_baseline_bytes <= 0) return 0;
    long now = renum_address_space_bytes();
    return now > 0 && now - renum_memory_baseline_bytes >= budget / 10 * 9;
}

/* SIGSYS from SECCOMP_RET_TRAP: emulate the system call's failure so the plugin sees an
 * ordinary error (ENOMEM for an over-budget mmap/mremap, EPERM otherwise) and record it. */
static void renum_sandbox_sigsys(int sig, siginfo_t *info, void *context) {
    (void)sig;
    ucontext_t *uc = (ucontext_t *)context;
    int nr = info->si_syscall;
    long result;
    if (nr == SYS_mmap || nr == SYS_mremap) {
        renum_thread_memory_refused = 1;
        renum_memory_refused_any = 1;
        result = -ENOMEM;
    } else {
        renum_thread_denied_syscall = nr;
        result = -EPERM;
    }
#if defined(__x86_64__)
    uc->uc_mcontext.gregs[13 /* REG_RAX */] = result;
#elif defined(__aarch64__)
    uc->uc_mcontext.regs[0] = result;
#endif
}

/* SIGSEGV/SIGBUS/SIGILL/SIGTRAP/SIGABRT: when the plugin's allocations were refused (or its
 * address space grew to 90% of its budget since load) the crash is the memory limit's
 * doing: exit RENUM_WORKER_EXIT_MEMORY_LIMIT. Otherwise restore the default action and
 * return, so the fault repeats and the process dies of the signal (the host reads it). */
static void renum_sandbox_fault(int sig, siginfo_t *info, void *context) {
    (void)info; (void)context;
    if (renum_memory_refused_any || renum_sandbox_near_memory_limit()) _exit(RENUM_WORKER_EXIT_MEMORY_LIMIT);
    signal(sig, SIG_DFL);
    if (sig == SIGABRT) raise(sig);
}

/* Installs both handlers; 0 on success, -1 with errno. */
static inline int renum_sandbox_install_handlers(long budget_bytes) {
    renum_memory_budget_bytes = budget_bytes;
    struct sigaction action;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_SIGINFO | SA_NODEFER;
    action.sa_sigaction = renum_sandbox_sigsys;
    if (sigaction(SIGSYS, &action, NULL) != 0) return -1;
    action.sa_flags = SA_SIGINFO;
    action.sa_sigaction = renum_sandbox_fault;
    int faults[] = {SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT};
    for (unsigned i = 0; i < sizeof faults / sizeof faults[0]; i++) {
        if (sigaction(faults[i], &action, NULL) != 0) return -1;
    }
    return 0;
}

/* Records the address-space size once the plugin is loaded (the budget is counted from here). */
static inline void renum_sandbox_set_baseline(void) { renum_memory_baseline_bytes = renum_address_space_bytes(); }

/* The system call refused on this thread since the last call (-1: none), and clears it. */
static inline int renum_sandbox_take_denied_syscall(void) {
    int nr = renum_thread_denied_syscall;
    renum_thread_denied_syscall = -1;
    return nr;
}

/* 1 when an over-budget allocation was refused on this thread since the last call; clears it. */
static inline int renum_sandbox_take_memory_refused(void) {
    int refused = renum_thread_memory_refused;
    renum_thread_memory_refused = 0;
    return refused;
}

#endif
