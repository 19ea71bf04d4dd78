/*
 * A hostile plugin for the sandbox tests (Tests/SandboxTests compiles it at test time):
 *
 *   cc -shared -fPIC -I SDK/c/include -I <dir with manifest.inc> hostile.c -o libhostile.so
 *
 * manifest.inc holds the embedded manifest as a C string literal (the test writes it from
 * manifest.json, changing the version for side-by-side tests). Each capability misbehaves
 * in one way; none polls is_cancelled:
 *   noop       {"ok": true}
 *   segfault   writes through NULL
 *   abort      abort()
 *   spin       loops forever
 *   alloc      malloc(4 GiB) and touches every page (no NULL check, as careless code does)
 *   socket     socket(AF_INET, SOCK_STREAM): SOCKET_FAILED with errno when refused
 *   exec       execve("/bin/sh"): EXEC_FAILED with errno when refused
 *   credential get_credential("undeclared") → {"result": <renum_plugin_result>, "body": <reply>}
 *   fetch      http_request(input) → {"result": <renum_plugin_result>, "body": <reply>}
 *   logflood   10 MB of log lines (10,000 lines of 1,000 bytes), then {"ok": true}
 *   killhost   kill(getppid(), SIGKILL): KILL_FAILED with errno when refused
 *   readshadow fopen("/etc/shadow"): READ_FAILED with errno when refused
 *   grow       allocates 8 MiB blocks (touching one page each) until malloc fails, then fails with OUT_OF_MEMORY
 *   growcrash  the same, but writes through the NULL it finally gets
 * Configuration {"hang": true} makes on_init loop forever.
 *   whoami     {"uid": getuid(), "cwd_writable": 0|1} (writes a file in its working directory)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "renum_plugin.h"

static const char manifest[] =
#include "manifest.inc"
    ;

static const renum_host_api *host;

static char *copy(const char *text, size_t len) {
    char *buffer = malloc(len + 1);
    if (buffer) { memcpy(buffer, text, len); buffer[len] = 0; }
    return buffer;
}

static renum_plugin_result ok(renum_plugin_invoke_output *out, const char *json) {
    out->output_json = copy(json, strlen(json));
    out->output_json_len = strlen(json);
    return RENUM_PLUGIN_RESULT_OK;
}

static renum_plugin_result fail(renum_plugin_invoke_output *out, const char *code, int error) {
    char message[128];
    snprintf(message, sizeof message, "errno %d (%s)", error, strerror(error));
    out->error.code = copy(code, strlen(code));
    out->error.code_len = strlen(code);
    out->error.message = copy(message, strlen(message));
    out->error.message_len = strlen(message);
    return RENUM_PLUGIN_RESULT_ERROR;
}

/* {"result": n, "body": <reply or null>} */
static renum_plugin_result reply(renum_plugin_invoke_output *out, renum_plugin_result result, char *body, size_t body_len) {
    size_t size = body_len + 64;
    char *json = malloc(size);
    int n = snprintf(json, size, "{\"result\": %d, \"body\": %.*s}", (int)result, body ? (int)body_len : 4, body ? body : "null");
    host->free_buffer(body, body_len);
    out->output_json = json;
    out->output_json_len = (size_t)n;
    return RENUM_PLUGIN_RESULT_OK;
}

static int is(const char *capability, size_t len, const char *name) {
    return strlen(name) == len && memcmp(capability, name, len) == 0;
}

static renum_plugin_result on_init(const renum_host_api *api, const char *config, size_t config_len,
                                   void **out_instance, renum_plugin_error *out_error) {
    (void)out_error;
    host = api;
    if (config_len > 0 && strstr(config, "\"hang\"")) {
        volatile unsigned long counter = 0;
        for (;;) counter++;
    }
    *out_instance = NULL;
    return RENUM_PLUGIN_RESULT_OK;
}

static renum_plugin_result on_invoke(void *instance, renum_plugin_call_context *ctx, const char *capability, size_t capability_len,
                                     const char *input, size_t input_len, renum_plugin_invoke_output *out) {
    (void)instance;
    if (is(capability, capability_len, "noop")) return ok(out, "{\"ok\": true}");
    if (is(capability, capability_len, "segfault")) {
        volatile int *nowhere = NULL;
        *nowhere = 1;
        return ok(out, "{}");
    }
    if (is(capability, capability_len, "abort")) abort();
    if (is(capability, capability_len, "spin")) {
        volatile unsigned long counter = 0;
        for (;;) counter++;
    }
    if (is(capability, capability_len, "alloc")) {
        size_t size = (size_t)4 << 30;
        char *memory = malloc(size);
        for (size_t offset = 0; offset < size; offset += 4096) memory[offset] = 1;
        return ok(out, "{}");
    }
    if (is(capability, capability_len, "socket")) {
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        if (fd < 0) return fail(out, "SOCKET_FAILED", errno);
        close(fd);
        return ok(out, "{\"socket\": true}");
    }
    if (is(capability, capability_len, "exec")) {
        char *argv[] = {"/bin/sh", "-c", "true", NULL};
        char *envp[] = {NULL};
        execve("/bin/sh", argv, envp);
        return fail(out, "EXEC_FAILED", errno);
    }
    if (is(capability, capability_len, "killhost")) {
        if (kill(getppid(), SIGKILL) != 0) return fail(out, "KILL_FAILED", errno);
        return ok(out, "{\"killed\": true}");
    }
    if (is(capability, capability_len, "grow") || is(capability, capability_len, "growcrash")) {
        size_t block = (size_t)8 << 20;
        for (;;) {
            char *memory = malloc(block);
            if (memory == NULL) {
                if (is(capability, capability_len, "grow")) return fail(out, "OUT_OF_MEMORY", ENOMEM);
                memory = NULL;
            }
            memory[0] = 1;   /* RLIMIT_AS counts address space: one page per block is enough */
        }
    }
    if (is(capability, capability_len, "readshadow")) {
        FILE *file = fopen("/etc/shadow", "r");
        if (file == NULL) return fail(out, "READ_FAILED", errno);
        fclose(file);
        return ok(out, "{\"read\": true}");
    }
    if (is(capability, capability_len, "whoami")) {
        FILE *file = fopen("scratch.txt", "w");
        int writable = file != NULL && fputs("x", file) >= 0;
        if (file) fclose(file);
        char json[64];
        snprintf(json, sizeof json, "{\"uid\": %u, \"cwd_writable\": %d}", (unsigned)getuid(), writable);
        return ok(out, json);
    }
    if (is(capability, capability_len, "credential")) {
        char *body = NULL;
        size_t body_len = 0;
        renum_plugin_result result = host->get_credential(ctx, "undeclared", 10, &body, &body_len);
        return reply(out, result, body, body_len);
    }
    if (is(capability, capability_len, "fetch")) {
        char *body = NULL;
        size_t body_len = 0;
        renum_plugin_result result = host->http_request(ctx, input, input_len, &body, &body_len);
        return reply(out, result, body, body_len);
    }
    if (is(capability, capability_len, "logflood")) {
        char line[1000];
        memset(line, 'x', sizeof line);
        for (int i = 0; i < 10000; i++) host->log(ctx, RENUM_PLUGIN_LOG_INFO, line, sizeof line);
        return ok(out, "{\"ok\": true}");
    }
    return fail(out, "UNKNOWN_CAPABILITY", EINVAL);
}

static void on_free(char *buffer, size_t len) { (void)len; free(buffer); }
static void on_shutdown(void *instance) { (void)instance; }

static const renum_plugin_descriptor descriptor = {
    RENUM_PLUGIN_MAGIC, sizeof(renum_plugin_descriptor), RENUM_PLUGIN_ABI_MAJOR, RENUM_PLUGIN_ABI_MINOR,
    manifest, sizeof(manifest) - 1, on_init, on_invoke, on_free, on_shutdown,
};

RENUM_PLUGIN_EXPORT const renum_plugin_descriptor *renum_plugin_entry(void) { return &descriptor; }
