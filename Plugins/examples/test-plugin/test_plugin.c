/*
 * The runtime's test plugin (plain C, compiled by Tests/RuntimeTests at test time):
 *
 *   cc -shared -fPIC -I SDK/c/include -I <dir with manifest.inc> test_plugin.c -o libtest.so
 *
 * manifest.inc holds the embedded manifest as a C string literal (the test writes it, so
 * it can make the embedded manifest disagree with the registry's). Knobs, as -D flags:
 *   TEST_ABI_MAJOR / TEST_ABI_MINOR   descriptor ABI version (default: the header's)
 *   TEST_BAD_MAGIC                    a wrong magic
 *   TEST_SMALL_DESCRIPTOR             struct_size 16
 *   TEST_MISSING_FUNCTION             on_shutdown NULL
 *   TEST_FAIL_INIT                    on_init fails with TEST_INIT_REFUSED
 *
 * Capabilities: noop, typed (echoes input), badout, garbage, weird (returns 7), fail,
 * slow (polls is_cancelled), metered (log/meter/now), stale (replays the previous call's
 * ctx), config, http, cred, stats (allocations and frees of output buffers).
 */
#define _GNU_SOURCE  /* nanosleep and memmem under -std=c11 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "renum_plugin.h"

static const char manifest[] =
#include "manifest.inc"
    ;

static atomic_long allocations;
static atomic_long frees;
static atomic_long shutdowns;
static _Atomic(renum_plugin_call_context *) previous_ctx;

typedef struct instance {
    const renum_host_api *host;
    char *config;
    size_t config_len;
} instance;

static char *copy(const char *bytes, size_t len) {
    char *buffer = malloc(len + 1);
    if (buffer == NULL) return NULL;
    memcpy(buffer, bytes, len);
    buffer[len] = 0;
    atomic_fetch_add(&allocations, 1);
    return buffer;
}

static renum_plugin_result output(renum_plugin_invoke_output *out, const char *json, size_t len) {
    out->output_json = copy(json, len);
    out->output_json_len = len;
    return out->output_json ? RENUM_PLUGIN_RESULT_OK : RENUM_PLUGIN_RESULT_NO_MEMORY;
}

static renum_plugin_result fail(renum_plugin_error *error, const char *code, const char *message) {
    error->code = copy(code, strlen(code));
    error->code_len = strlen(code);
    error->message = copy(message, strlen(message));
    error->message_len = strlen(message);
    return RENUM_PLUGIN_RESULT_ERROR;
}

static int is(const char *name, size_t len, const char *literal) {
    return len == strlen(literal) && memcmp(name, literal, len) == 0;
}

static renum_plugin_result on_init(const renum_host_api *host, const char *config, size_t config_len,
                                   void **out_instance, renum_plugin_error *error) {
#ifdef TEST_FAIL_INIT
    (void)host; (void)config; (void)config_len; (void)out_instance;
    return fail(error, "TEST_INIT_REFUSED", "this build refuses to start");
#else
    (void)error;
    instance *self = malloc(sizeof(instance));
    self->host = host;
    self->config = malloc(config_len + 1);
    memcpy(self->config, config, config_len);
    self->config_len = config_len;
    host->log(NULL, RENUM_PLUGIN_LOG_INFO, "test plugin initialised", 23);
    *out_instance = self;
    return RENUM_PLUGIN_RESULT_OK;
#endif
}

static renum_plugin_result on_invoke(void *opaque, renum_plugin_call_context *ctx, const char *capability,
                                     size_t capability_len, const char *input, size_t input_len,
                                     renum_plugin_invoke_output *out) {
    instance *self = opaque;
    const renum_host_api *host = self->host;
    if (is(capability, capability_len, "noop")) return output(out, "{}", 2);
    if (is(capability, capability_len, "typed")) return output(out, input, input_len);
    if (is(capability, capability_len, "badout")) return output(out, "{\"m\":1}", 7);
    if (is(capability, capability_len, "garbage")) return output(out, "not json", 8);
    if (is(capability, capability_len, "weird")) {
        out->error.message = copy("odd", 3);
        out->error.message_len = 3;
        return (renum_plugin_result)7;
    }
    if (is(capability, capability_len, "fail")) return fail(&out->error, "TEST_FAILURE", "it failed on purpose");
    if (is(capability, capability_len, "slow")) {
        struct timespec step = {0, 1000000};
        for (int i = 0; i < 10000 && !host->is_cancelled(ctx); i++) nanosleep(&step, NULL);
        return output(out, "{\"done\":true}", 13);
    }
    if (is(capability, capability_len, "metered")) {
        host->log(ctx, RENUM_PLUGIN_LOG_INFO, "metered called", 14);
        host->meter(ctx, "tokens", 6, 10.0);
        host->meter(ctx, "tokens", 6, 5.0);
        host->meter(ctx, "calls", 5, 1.0);
        int refused = host->meter(ctx, "tokens", 6, -1.0) == RENUM_PLUGIN_RESULT_INVALID_ARGUMENT;
        char buffer[96];
        int len = snprintf(buffer, sizeof buffer, "{\"now_ns\":%llu,\"negative_refused\":%s}",
                           (unsigned long long)host->now(ctx), refused ? "true" : "false");
        volatile double sink = 0; /* some CPU work, so cpu time is visible */
        for (int i = 0; i < 2000000; i++) sink += i * 0.5;
        return output(out, buffer, (size_t)len);
    }
    if (is(capability, capability_len, "stale")) {
        renum_plugin_call_context *old = atomic_exchange(&previous_ctx, ctx);
        char buffer[128];
        int len = snprintf(buffer, sizeof buffer, "{\"had_previous\":%s,\"cancelled\":%d,\"meter\":%d,\"forged_meter\":%d}",
                           old ? "true" : "false", old ? host->is_cancelled(old) : -1,
                           old ? (int)host->meter(old, "x", 1, 1.0) : -1,
                           (int)host->meter((renum_plugin_call_context *)(uintptr_t)0xdeadbeef12345ULL, "x", 1, 1.0));
        return output(out, buffer, (size_t)len);
    }
    if (is(capability, capability_len, "config")) return output(out, self->config, self->config_len);
    if (is(capability, capability_len, "validate_credential")) {
        /* Reads the caller's "svc" secret through the host; a secret containing "good" is valid. */
        char *secret = NULL;
        size_t secret_len = 0;
        renum_plugin_result result = host->get_credential(ctx, "svc", 3, &secret, &secret_len);
        int good = result == RENUM_PLUGIN_RESULT_OK && secret && memmem(secret, secret_len, "good", 4) != NULL;
        host->free_buffer(secret, secret_len);
        static const char yes[] = "{\"valid\":true}";
        static const char no[] = "{\"valid\":false,\"message\":\"rejected by the test service\"}";
        return good ? output(out, yes, sizeof yes - 1) : output(out, no, sizeof no - 1);
    }
    if (is(capability, capability_len, "http") || is(capability, capability_len, "cred")) {
        char *response = NULL;
        size_t response_len = 0;
        renum_plugin_result result = is(capability, capability_len, "http")
            ? host->http_request(ctx, input, input_len, &response, &response_len)
            : host->get_credential(ctx, "svc", 3, &response, &response_len);
        char head[64];
        int head_len = snprintf(head, sizeof head, "{\"result\":%d,\"body\":", (int)result);
        size_t len = (size_t)head_len + (response ? response_len : 4) + 1;
        char *json = malloc(len + 1);
        memcpy(json, head, (size_t)head_len);
        if (response) memcpy(json + head_len, response, response_len); else memcpy(json + head_len, "null", 4);
        json[len - 1] = '}';
        json[len] = 0;
        host->free_buffer(response, response_len);
        atomic_fetch_add(&allocations, 1);
        out->output_json = json;
        out->output_json_len = len;
        return RENUM_PLUGIN_RESULT_OK;
    }
    if (is(capability, capability_len, "stats")) {
        char buffer[128];
        int len = snprintf(buffer, sizeof buffer, "{\"allocations\":%ld,\"frees\":%ld,\"shutdowns\":%ld}",
                           atomic_load(&allocations), atomic_load(&frees), atomic_load(&shutdowns));
        return output(out, buffer, (size_t)len);
    }
    return fail(&out->error, "UNKNOWN_CAPABILITY", "no such capability");
}

static void on_free(char *buffer, size_t len) {
    (void)len;
    atomic_fetch_add(&frees, 1);
    free(buffer);
}

static void on_shutdown(void *opaque) {
    instance *self = opaque;
    atomic_fetch_add(&shutdowns, 1);
    free(self->config);
    free(self);
}

#ifndef TEST_ABI_MAJOR
#define TEST_ABI_MAJOR RENUM_PLUGIN_ABI_MAJOR
#endif
#ifndef TEST_ABI_MINOR
#define TEST_ABI_MINOR RENUM_PLUGIN_ABI_MINOR
#endif

static const renum_plugin_descriptor descriptor = {
#ifdef TEST_BAD_MAGIC
    0x4241444D41474943ULL,
#else
    RENUM_PLUGIN_MAGIC,
#endif
#ifdef TEST_SMALL_DESCRIPTOR
    16,
#else
    sizeof(renum_plugin_descriptor),
#endif
    TEST_ABI_MAJOR, TEST_ABI_MINOR,
    manifest, sizeof(manifest) - 1,
    on_init, on_invoke, on_free,
#ifdef TEST_MISSING_FUNCTION
    NULL,
#else
    on_shutdown,
#endif
};

RENUM_PLUGIN_EXPORT const renum_plugin_descriptor *renum_plugin_entry(void) {
    return &descriptor;
}
