/*
 * renum_plugin.h: the Renum plugin C ABI, version 1.0.
 *
 * The one contract between the Renum host and a subagent plugin (a shared
 * library). Only C types cross it; JSON (UTF-8 bytes + a length, never relying
 * on a NUL terminator) carries the manifest, configuration, inputs and outputs.
 *
 * Naming says direction (as in Envoy's dynamic-modules abi.h):
 *   renum_plugin_*      types and constants
 *   renum_plugin_on_*   implemented by the plugin, called by the host
 *   renum_host_*        implemented by the host, called by the plugin (only
 *                       through the renum_host_api table: the host executable
 *                       exports no symbols)
 *
 * ---------------------------------------------------------------------------
 * Writing a plugin in C (the whole recipe)
 * ---------------------------------------------------------------------------
 *   1. Write your manifest JSON (see SDK/README.md) and embed it as a string.
 *   2. Implement on_init, on_invoke, on_free and on_shutdown (signatures below).
 *   3. Fill one static const renum_plugin_descriptor and return it from
 *      renum_plugin_entry:
 *
 *        #include "renum_plugin.h"
 *        static const char manifest[] = "{ \"agent_id\": \"my-agent\", ... }";
 *        static const renum_plugin_descriptor descriptor = {
 *            RENUM_PLUGIN_MAGIC, sizeof(renum_plugin_descriptor),
 *            RENUM_PLUGIN_ABI_MAJOR, RENUM_PLUGIN_ABI_MINOR,
 *            manifest, sizeof(manifest) - 1,
 *            my_on_init, my_on_invoke, my_on_free, my_on_shutdown
 *        };
 *        RENUM_PLUGIN_EXPORT const renum_plugin_descriptor *renum_plugin_entry(void) {
 *            return &descriptor;
 *        }
 *
 *   4. Build:  cc -std=c99 -shared -fPIC -I <renum>/SDK/c/include my.c -o libmy.so
 *      Every buffer you hand to the host must come from an allocator that your
 *      on_free releases (malloc/free is the usual pair).
 *   5. Check it: `renum plugin validate libmy.so`, then
 *      `renum plugin invoke libmy.so CAPABILITY --input '{...}'`.
 *   A complete example: Plugins/examples/c-echo/echo.c.
 *
 * ---------------------------------------------------------------------------
 * Versions and compatibility (checked by the host before anything else)
 * ---------------------------------------------------------------------------
 *   The host loads the library (dlopen RTLD_NOW|RTLD_LOCAL), looks up
 *   RENUM_PLUGIN_ENTRY_SYMBOL, calls it once, and REFUSES the plugin (never
 *   calling any of its functions) unless:
 *     - descriptor->magic == RENUM_PLUGIN_MAGIC;
 *     - descriptor->struct_size >= RENUM_PLUGIN_DESCRIPTOR_SIZE_1_0;
 *     - descriptor->abi_major == the host's RENUM_PLUGIN_ABI_MAJOR, and
 *       descriptor->abi_minor <= the host's RENUM_PLUGIN_ABI_MINOR
 *       (renum_plugin_abi_compatible below);
 *     - the four function pointers are non-NULL and the manifest is valid JSON
 *       that agrees with the registry's manifest for that version.
 *   Minor versions only APPEND members to the structs below (marked
 *   "since X.Y"); nothing is ever removed, reordered or retyped within a major.
 *   A plugin reads a host_api member added after 1.0 only if
 *   host->struct_size covers it. Any change to this file forces a version
 *   decision (a test hashes it).
 *
 * ---------------------------------------------------------------------------
 * Threads (the concurrency rule)
 * ---------------------------------------------------------------------------
 *   - on_init and on_shutdown are called once per instance, on any host thread,
 *     never concurrently with anything else on that instance. on_shutdown
 *     happens after every on_invoke on that instance has returned.
 *   - on_invoke may be called CONCURRENTLY on the same instance from several
 *     host threads, up to the manifest's policy.max_concurrency calls at once;
 *     with policy.max_concurrency == 1 the host serialises calls. So unless
 *     your manifest says 1, on_invoke must be thread-safe.
 *   - on_free may be called on any thread at any time, also concurrently with
 *     on_invoke and after on_shutdown: it must not depend on the instance.
 *   - The host may create several instances from one loaded image (e.g. with
 *     different configurations): keep per-instance state in the instance.
 *   - Host functions are thread-safe. They may be called only while the
 *     on_invoke that received ctx is running (from its thread or any thread
 *     the plugin started), with that ctx. The exceptions: log and now accept
 *     ctx == NULL during on_init and on_shutdown. A host function never calls
 *     back into the plugin.
 *   - on_invoke may block (the host runs it on a thread that may block). The
 *     host cannot preempt it: when the manifest's policy.timeout_ms elapses or
 *     the caller goes away, is_cancelled(ctx) starts returning 1 and the host
 *     stops waiting for the result; long-running work should poll it.
 *
 * ---------------------------------------------------------------------------
 * Ownership (the memory rule)
 * ---------------------------------------------------------------------------
 *   - A buffer is freed by the side that allocated it. Input buffers are
 *     borrowed for the duration of the call only: copy what you keep.
 *   - Buffers the PLUGIN allocates and hands to the host (output JSON, error
 *     code and message) are released by the host with descriptor->on_free,
 *     exactly once each, after it has copied them.
 *   - Buffers the HOST allocates and hands to the plugin (HTTP responses,
 *     credentials, host error details) are released by the plugin with
 *     host->free_buffer, exactly once each.
 *   - The manifest and the descriptor are static, owned by the plugin image,
 *     and must stay valid for as long as the image is loaded. The host never
 *     dlcloses a Swift image (it is unsafe); it may dlclose a C image after
 *     on_shutdown of its last instance.
 *   - The host_api table is owned by the host and stays valid until on_shutdown
 *     of the instance it was given to returns: a plugin may keep the pointer.
 */
#ifndef RENUM_PLUGIN_H
#define RENUM_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ABI version of this header. See "Versions and compatibility" above. */
#define RENUM_PLUGIN_ABI_MAJOR 1
#define RENUM_PLUGIN_ABI_MINOR 0

/* First field of every descriptor: the bytes "RENUMPLG" read as a big-endian integer. */
#define RENUM_PLUGIN_MAGIC 0x52454E554D504C47ULL

/* The one symbol a plugin exports. */
#define RENUM_PLUGIN_ENTRY_SYMBOL "renum_plugin_entry"

/* sizeof the 1.0 structs on LP64 (Linux x86-64 and aarch64, where Renum runs).
 * Descriptors smaller than RENUM_PLUGIN_DESCRIPTOR_SIZE_1_0 are refused. */
#define RENUM_PLUGIN_DESCRIPTOR_SIZE_1_0 72
#define RENUM_HOST_API_SIZE_1_0 72
#define RENUM_PLUGIN_INVOKE_OUTPUT_SIZE_1_0 56

#if defined(__GNUC__) || defined(__clang__)
#define RENUM_PLUGIN_EXPORT __attribute__((visibility("default")))
#else
#define RENUM_PLUGIN_EXPORT
#endif

/* Result of every fallible function, on both sides. 0 is success. Represented
 * as a C int; values are never renumbered or reused, new ones are appended. */
typedef enum renum_plugin_result {
    /* Success; the out-parameters are set. */
    RENUM_PLUGIN_RESULT_OK = 0,
    /* on_init/on_invoke: the plugin failed; a structured error (code, message)
     * is in the renum_plugin_error out-parameter. */
    RENUM_PLUGIN_RESULT_ERROR = 1,
    /* A NULL pointer where one is required, malformed JSON, a bad value, or a
     * host function called outside its call (wrong or expired ctx). */
    RENUM_PLUGIN_RESULT_INVALID_ARGUMENT = 2,
    /* Host policy refused: egress to a host not in policy.allowed_hosts, a
     * credential the manifest does not declare, a metering unit refused. */
    RENUM_PLUGIN_RESULT_DENIED = 3,
    /* get_credential: the calling user has no credential of that service type. */
    RENUM_PLUGIN_RESULT_NOT_FOUND = 4,
    /* http_request: the request exceeded its timeout_ms (or the call's deadline). */
    RENUM_PLUGIN_RESULT_TIMEOUT = 5,
    /* The call was cancelled (timeout of the invocation, caller gone). */
    RENUM_PLUGIN_RESULT_CANCELLED = 6,
    /* http_request: network failure (DNS, connect, TLS, reset). */
    RENUM_PLUGIN_RESULT_UNAVAILABLE = 7,
    /* Allocation failed. */
    RENUM_PLUGIN_RESULT_NO_MEMORY = 8
} renum_plugin_result;

/* Log levels for host->log. */
typedef enum renum_plugin_log_level {
    RENUM_PLUGIN_LOG_TRACE = 0,
    RENUM_PLUGIN_LOG_DEBUG = 1,
    RENUM_PLUGIN_LOG_INFO = 2,
    RENUM_PLUGIN_LOG_WARNING = 3,
    RENUM_PLUGIN_LOG_ERROR = 4
} renum_plugin_log_level;

/* Opaque, host-owned context of ONE on_invoke call. Valid from the moment
 * on_invoke is entered until it returns; never store it beyond that. */
typedef struct renum_plugin_call_context renum_plugin_call_context;

/* A structured error, set by the plugin in on_init / on_invoke when they return
 * RENUM_PLUGIN_RESULT_ERROR. Frozen: this struct never grows.
 *   code:    a stable machine-readable code, e.g. "EXAMPLE_FAILURE"
 *            (UTF-8, code_len bytes, no NUL needed). Codes the SDKs use:
 *            INVALID_INPUT, UNKNOWN_CAPABILITY, PLUGIN_ERROR, INVALID_CONFIG.
 *   message: a human-readable message, safe to show to the caller (no secrets).
 * OWNERSHIP: both buffers are allocated by the plugin (either may be NULL with
 *   length 0); the host copies them and releases each non-NULL one with
 *   descriptor->on_free(ptr, len). */
typedef struct renum_plugin_error {
    char *code;
    size_t code_len;
    char *message;
    size_t message_len;
} renum_plugin_error;

/* What on_invoke produces. The host zero-fills it and sets struct_size before
 * the call; the plugin sets the fields of its own ABI version only.
 * OWNERSHIP: every non-NULL pointer the plugin stores here is plugin-allocated;
 *   the host copies it and releases it with descriptor->on_free(ptr, len),
 *   whatever on_invoke returned (so never leave garbage in it). */
typedef struct renum_plugin_invoke_output {
    size_t struct_size;           /* since 1.0: set by the host, >= RENUM_PLUGIN_INVOKE_OUTPUT_SIZE_1_0 */
    char *output_json;            /* since 1.0: on OK, the output JSON value (UTF-8) */
    size_t output_json_len;       /* since 1.0 */
    renum_plugin_error error;     /* since 1.0: on ERROR, the structured error */
} renum_plugin_invoke_output;

/* ---------------------------------------------------------------------------
 * Host functions: the table the host hands to on_init.
 * ------------------------------------------------------------------------- */

/* log: write one log line, attributed to the plugin (and to the call, if ctx).
 * Caller: the plugin, during on_invoke with its ctx, or with ctx == NULL during
 *   on_init / on_shutdown. Any thread. Never fails (bad arguments are dropped).
 * OWNERSHIP: message is borrowed for the duration of the call (UTF-8, message_len bytes). */
typedef void (*renum_host_log_fn)(renum_plugin_call_context *ctx, renum_plugin_log_level level,
                                  const char *message, size_t message_len);

/* http_request: perform one HTTP request through the host's egress (the only
 * way a plugin reaches the network). The host applies the manifest's
 * policy.allowed_hosts and the call's deadline, and meters the request.
 *   request_json:  {"method": "POST", "url": "https://…", "headers": {"k": "v"},
 *                   "body": "<string>", "timeout_ms": 5000}
 *                  (headers, body, timeout_ms optional; method defaults to GET)
 *   *out_response: on OK, {"status": 200, "headers": {"k": "v"}, "body": "<string>"}
 *                  (a non-2xx status is still OK: it is a response; a body that is
 *                  not valid UTF-8 comes as "body_base64" instead of "body").
 *                  On any other result, NULL or a JSON {"code": "...", "message": "..."}
 *                  explaining the refusal or failure.
 * Returns: OK; DENIED (egress policy); TIMEOUT; CANCELLED; UNAVAILABLE (network);
 *   INVALID_ARGUMENT (bad request JSON or ctx); NO_MEMORY.
 * Caller: the plugin, during on_invoke, with that call's ctx. Any thread. Blocks
 *   until the response, the timeout or cancellation.
 * OWNERSHIP: request_json is borrowed for the call. *out_response (if non-NULL)
 *   is host-allocated and owned by the plugin from return: release it with
 *   host->free_buffer(*out_response, *out_response_len). */
typedef renum_plugin_result (*renum_host_http_request_fn)(
    renum_plugin_call_context *ctx, const char *request_json, size_t request_json_len,
    char **out_response, size_t *out_response_len);

/* get_credential: the calling user's secret for one service type (e.g. "telegram",
 * "openai"); the service type must be listed in the manifest's required_credentials.
 *   *out_secret_json: on OK, a JSON object of strings, e.g. {"api_key": "…"}.
 *                     On any other result, NULL or {"code", "message"} JSON.
 * Returns: OK; DENIED (not declared in the manifest); NOT_FOUND (the user has
 *   none stored); INVALID_ARGUMENT; NO_MEMORY.
 * Caller: the plugin, during on_invoke, with that call's ctx. Any thread.
 * OWNERSHIP: service_type is borrowed. *out_secret_json is host-allocated, owned
 *   by the plugin from return; release it with host->free_buffer. Do not log it,
 *   do not keep it beyond the call. */
typedef renum_plugin_result (*renum_host_get_credential_fn)(
    renum_plugin_call_context *ctx, const char *service_type, size_t service_type_len,
    char **out_secret_json, size_t *out_secret_json_len);

/* meter: report usage of this call, e.g. ("tokens", 1234) or ("messages", 1).
 * Quantities of the same unit within one call add up; the host prices them.
 * Returns: OK; INVALID_ARGUMENT (empty unit, negative/NaN/infinite quantity, bad ctx).
 * Caller: the plugin, during on_invoke, with that call's ctx. Any thread.
 * OWNERSHIP: unit is borrowed for the call. */
typedef renum_plugin_result (*renum_host_meter_fn)(
    renum_plugin_call_context *ctx, const char *unit, size_t unit_len, double quantity);

/* is_cancelled: 1 when the call has been cancelled (deadline passed, caller
 * gone, host shutting down) and the plugin should stop and return; 0 otherwise.
 * Cheap: poll it in loops. Caller: the plugin, during on_invoke. Any thread. */
typedef int (*renum_host_is_cancelled_fn)(renum_plugin_call_context *ctx);

/* now: wall-clock time, nanoseconds since the Unix epoch (UTC). Never fails.
 * Caller: the plugin, during on_invoke with its ctx, or with ctx == NULL during
 *   on_init / on_shutdown. Any thread. */
typedef uint64_t (*renum_host_now_fn)(renum_plugin_call_context *ctx);

/* free_buffer: release a buffer the host handed to the plugin (http_request's
 * response, get_credential's secret, their error JSON). NULL is a no-op.
 * Caller: the plugin, any thread, any time (also after on_invoke returned). */
typedef void (*renum_host_free_buffer_fn)(char *buffer, size_t buffer_len);

/* The host API table (the sqlite3_api_routines pattern).
 * OWNERSHIP: host-owned, const, valid until on_shutdown of the instance returns.
 * APPEND-ONLY: new members go at the end, marked with their version; read a
 * member added after your ABI version only if struct_size covers it. */
typedef struct renum_host_api {
    size_t struct_size;                          /* since 1.0: sizeof as the host compiled it */
    uint32_t abi_major;                          /* since 1.0: the host's RENUM_PLUGIN_ABI_MAJOR */
    uint32_t abi_minor;                          /* since 1.0: the host's RENUM_PLUGIN_ABI_MINOR */
    renum_host_log_fn log;                       /* since 1.0 */
    renum_host_http_request_fn http_request;     /* since 1.0 */
    renum_host_get_credential_fn get_credential; /* since 1.0 */
    renum_host_meter_fn meter;                   /* since 1.0 */
    renum_host_is_cancelled_fn is_cancelled;     /* since 1.0 */
    renum_host_now_fn now;                       /* since 1.0 */
    renum_host_free_buffer_fn free_buffer;       /* since 1.0 */
} renum_host_api;

/* ---------------------------------------------------------------------------
 * Plugin functions: what the descriptor points to.
 * ------------------------------------------------------------------------- */

/* on_init: create one instance of the plugin.
 *   host:        the host table (see its OWNERSHIP); keep it in the instance.
 *   config_json: this instance's configuration, a JSON object ("{}" when none).
 *   *out_instance: on OK, the plugin's opaque instance pointer (may be NULL if
 *                the plugin needs no state); passed back to on_invoke/on_shutdown.
 *   *out_error:  on ERROR, the structured error (zero-filled by the host).
 * Returns: OK, or ERROR (the host then never calls on_invoke/on_shutdown for it).
 * Caller: the host, once per instance, any thread, before any on_invoke.
 *   Host functions other than log(NULL, …) and now(NULL) must not be called here.
 * OWNERSHIP: config_json is borrowed for the call. out_error's buffers are
 *   plugin-allocated and released by the host with on_free. The instance is
 *   owned by the plugin until on_shutdown. */
typedef renum_plugin_result (*renum_plugin_on_init_fn)(
    const renum_host_api *host, const char *config_json, size_t config_json_len,
    void **out_instance, renum_plugin_error *out_error);

/* on_invoke: run one capability.
 *   instance:   what on_init returned.
 *   ctx:        this call's context, for host functions; valid until return.
 *   capability: the capability name (as in the manifest), UTF-8, not NUL-terminated.
 *   input_json: the input JSON value, already validated by the host against
 *               the capability's input_schema.
 *   out:        zero-filled by the host, struct_size set. On OK set
 *               output_json/output_json_len; on ERROR set out->error.
 * Returns: OK or ERROR (other values are treated as ERROR with code PLUGIN_ERROR).
 * Caller: the host, any thread, concurrently unless policy.max_concurrency == 1.
 * OWNERSHIP: capability and input_json are borrowed for the call. Buffers the
 *   plugin stores in *out are released by the host with on_free. */
typedef renum_plugin_result (*renum_plugin_on_invoke_fn)(
    void *instance, renum_plugin_call_context *ctx,
    const char *capability, size_t capability_len,
    const char *input_json, size_t input_json_len,
    renum_plugin_invoke_output *out);

/* on_free: release one buffer the plugin handed to the host (output JSON, error
 * code, error message). Called exactly once per non-NULL buffer, any thread,
 * any time (also after on_shutdown). len is the length the plugin reported. */
typedef void (*renum_plugin_on_free_fn)(char *buffer, size_t buffer_len);

/* on_shutdown: destroy an instance. Caller: the host, once, any thread, after
 * every on_invoke on the instance has returned. Host functions other than
 * log(NULL, …) and now(NULL) must not be called. The instance pointer is dead
 * afterwards. */
typedef void (*renum_plugin_on_shutdown_fn)(void *instance);

/* The descriptor renum_plugin_entry returns.
 * OWNERSHIP: static, owned by the plugin image, immutable, valid as long as the
 *   image is loaded (the manifest too). APPEND-ONLY, like renum_host_api. */
typedef struct renum_plugin_descriptor {
    uint64_t magic;                      /* since 1.0: RENUM_PLUGIN_MAGIC */
    size_t struct_size;                  /* since 1.0: sizeof(renum_plugin_descriptor) */
    uint32_t abi_major;                  /* since 1.0: RENUM_PLUGIN_ABI_MAJOR the plugin was built with */
    uint32_t abi_minor;                  /* since 1.0: RENUM_PLUGIN_ABI_MINOR the plugin was built with */
    const char *manifest_json;           /* since 1.0: the manifest (UTF-8 JSON object) */
    size_t manifest_json_len;            /* since 1.0: its length in bytes, without any NUL */
    renum_plugin_on_init_fn on_init;         /* since 1.0 */
    renum_plugin_on_invoke_fn on_invoke;     /* since 1.0 */
    renum_plugin_on_free_fn on_free;         /* since 1.0 */
    renum_plugin_on_shutdown_fn on_shutdown; /* since 1.0 */
} renum_plugin_descriptor;

/* The entry point, exported under RENUM_PLUGIN_ENTRY_SYMBOL. Returns the static
 * descriptor; must be cheap, side-effect free, callable any number of times from
 * any thread, and return the same pointer each time. The host calls it first and
 * checks the version fields before anything else. */
typedef const renum_plugin_descriptor *(*renum_plugin_entry_fn)(void);

/* 1 when a host built for ABI host_major.host_minor may load a plugin built for
 * plugin_major.plugin_minor: same major, plugin minor <= host minor. 0 otherwise. */
static inline int renum_plugin_abi_compatible(uint32_t host_major, uint32_t host_minor,
                                              uint32_t plugin_major, uint32_t plugin_minor) {
    return plugin_major == host_major && plugin_minor <= host_minor;
}

/* Compile-time check of the 1.0 sizes on LP64 (C99: a negative array size fails). */
#if defined(__LP64__) || defined(_LP64)
typedef char renum_plugin_static_check_sizes_1_0[
    (sizeof(renum_plugin_descriptor) == RENUM_PLUGIN_DESCRIPTOR_SIZE_1_0 &&
     sizeof(renum_host_api) == RENUM_HOST_API_SIZE_1_0 &&
     sizeof(renum_plugin_invoke_output) == RENUM_PLUGIN_INVOKE_OUTPUT_SIZE_1_0) ? 1 : -1];
#endif

#ifdef __cplusplus
}
#endif

#endif /* RENUM_PLUGIN_H */
