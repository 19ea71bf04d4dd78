/*
 * __PLUGIN_NAME__: a Renum subagent plugin in C99.
 * Build: cc -std=c99 -shared -fPIC -I __RENUM_CHECKOUT__/SDK/c/include plugin.c -o lib__PLUGIN_NAME__.so
 * The rules (ownership, threads, versions) are at the top of renum_plugin.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "renum_plugin.h"

/* Keep identical to manifest.json (the host compares it with the registered manifest). */
static const char manifest[] =
    "{\"agent_id\": \"__PLUGIN_NAME__\", \"version\": \"0.1.0\", \"name\": \"__PLUGIN_NAME__\","
    " \"description\": \"What this subagent does, in one sentence.\","
    " \"capabilities\": [{\"name\": \"hello\", \"description\": \"Greets {\\\"name\\\": \\\"…\\\"}.\","
    " \"input_schema\": {\"type\": \"object\", \"properties\": {\"name\": {\"type\": \"string\"}}, \"required\": [\"name\"]},"
    " \"output_schema\": {\"type\": \"object\", \"properties\": {\"greeting\": {\"type\": \"string\"}}, \"required\": [\"greeting\"]}}],"
    " \"required_credentials\": [],"
    " \"policy\": {\"isolation\": \"process\", \"timeout_ms\": 5000, \"max_memory_mb\": 64, \"max_concurrency\": 8,"
    " \"allowed_hosts\": [], \"rate_limit_per_minute\": 60},"
    " \"cost_per_execution\": 0.0}";

typedef struct instance { const renum_host_api *host; } instance;

static char *copy(const char *text, size_t len) {
    char *out = (char *)malloc(len + 1);
    if (out != NULL) { memcpy(out, text, len); out[len] = '\0'; }
    return out;
}

static renum_plugin_result fail(renum_plugin_error *error, const char *code, const char *message) {
    error->code = copy(code, strlen(code));
    error->code_len = error->code ? strlen(code) : 0;
    error->message = copy(message, strlen(message));
    error->message_len = error->message ? strlen(message) : 0;
    return RENUM_PLUGIN_RESULT_ERROR;
}

static renum_plugin_result on_init(const renum_host_api *host, const char *config, size_t config_len,
                                   void **out_instance, renum_plugin_error *out_error) {
    (void)config; (void)config_len;
    instance *self = (instance *)malloc(sizeof *self);
    if (self == NULL) return fail(out_error, "NO_MEMORY", "cannot allocate the instance");
    self->host = host;
    *out_instance = self;
    return RENUM_PLUGIN_RESULT_OK;
}

/* Thread-safe: touches only immutable state. Input is valid JSON, checked against input_schema. */
static renum_plugin_result on_invoke(void *opaque, renum_plugin_call_context *ctx,
                                     const char *capability, size_t capability_len,
                                     const char *input, size_t input_len,
                                     renum_plugin_invoke_output *out) {
    instance *self = (instance *)opaque;
    if (capability_len == 5 && memcmp(capability, "hello", 5) == 0) {
        self->host->log(ctx, RENUM_PLUGIN_LOG_INFO, "hello called", 12);
        self->host->meter(ctx, "greetings", 9, 1.0);
        /* A real plugin parses the input with a JSON library; here we embed it whole. */
        const char *prefix = "{\"greeting\": \"hello\", \"input\": ";
        size_t len = strlen(prefix) + input_len + 1;
        char *json = (char *)malloc(len + 1);
        if (json == NULL) return RENUM_PLUGIN_RESULT_NO_MEMORY;
        memcpy(json, prefix, strlen(prefix));
        memcpy(json + strlen(prefix), input, input_len);
        json[len - 1] = '}';
        json[len] = '\0';
        out->output_json = json;
        out->output_json_len = len;
        return RENUM_PLUGIN_RESULT_OK;
    }
    return fail(&out->error, "UNKNOWN_CAPABILITY", "no such capability");
}

static void on_free(char *buffer, size_t len) { (void)len; free(buffer); }

static void on_shutdown(void *opaque) { free(opaque); }

static const renum_plugin_descriptor descriptor = {
    RENUM_PLUGIN_MAGIC, sizeof(renum_plugin_descriptor),
    RENUM_PLUGIN_ABI_MAJOR, RENUM_PLUGIN_ABI_MINOR,
    manifest, sizeof(manifest) - 1,
    on_init, on_invoke, on_free, on_shutdown,
};

RENUM_PLUGIN_EXPORT const renum_plugin_descriptor *renum_plugin_entry(void) { return &descriptor; }
