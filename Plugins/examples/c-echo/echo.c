/*
 * The C example plugin for Renum: plain C99, written from renum_plugin.h alone.
 *
 *   cc -std=c99 -shared -fPIC -I <renum>/SDK/c/include echo.c -o libexample-c-echo.so
 *
 * Capabilities:
 *   echo    returns {"echo": <input>}
 *   fail    returns the structured error EXAMPLE_FAILURE
 *   whoami  uses the host: log, meter("greeting", 1), now
 *   fetch   sends the input (an HTTP request JSON) through host->http_request
 *
 * Memory: every buffer handed to the host comes from malloc and is released by
 * example_on_free; buffers from the host are released with host->free_buffer.
 * Threads: on_invoke touches only the immutable instance, so it is thread-safe.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "renum_plugin.h"

/* The manifest, embedded (kept identical to manifest.json next to this file). */
static const char example_manifest[] =
    "{\n"
    "  \"agent_id\": \"example-c-echo\",\n"
    "  \"version\": \"1.0.0\",\n"
    "  \"name\": \"Example echo (C)\",\n"
    "  \"description\": \"The C example plugin: echoes its input, fails on purpose, and shows the host functions.\",\n"
    "  \"capabilities\": [\n"
    "    {\n"
    "      \"name\": \"echo\",\n"
    "      \"description\": \"Returns {\\\"echo\\\": <input>}.\",\n"
    "      \"input_schema\": {},\n"
    "      \"output_schema\": {\"type\": \"object\", \"properties\": {\"echo\": {}}, \"required\": [\"echo\"]}\n"
    "    },\n"
    "    {\n"
    "      \"name\": \"fail\",\n"
    "      \"description\": \"Always fails with the structured error EXAMPLE_FAILURE.\",\n"
    "      \"input_schema\": {},\n"
    "      \"output_schema\": {}\n"
    "    },\n"
    "    {\n"
    "      \"name\": \"whoami\",\n"
    "      \"description\": \"Logs a line, meters one 'greeting' unit and returns the agent id and the host clock.\",\n"
    "      \"input_schema\": {},\n"
    "      \"output_schema\": {\"type\": \"object\", \"properties\": {\"agent_id\": {\"type\": \"string\"}, \"now_ns\": {\"type\": \"integer\"}}, \"required\": [\"agent_id\", \"now_ns\"]}\n"
    "    },\n"
    "    {\n"
    "      \"name\": \"fetch\",\n"
    "      \"description\": \"Sends the input (an HTTP request JSON) through the host's egress and returns the response JSON.\",\n"
    "      \"input_schema\": {\"type\": \"object\", \"properties\": {\"url\": {\"type\": \"string\"}}, \"required\": [\"url\"]},\n"
    "      \"output_schema\": {\"type\": \"object\", \"properties\": {\"status\": {\"type\": \"integer\"}}, \"required\": [\"status\"]}\n"
    "    }\n"
    "  ],\n"
    "  \"required_credentials\": [],\n"
    "  \"policy\": {\n"
    "    \"isolation\": \"inprocess\",\n"
    "    \"timeout_ms\": 5000,\n"
    "    \"max_memory_mb\": 64,\n"
    "    \"max_concurrency\": 16,\n"
    "    \"allowed_hosts\": [\"127.0.0.1\"],\n"
    "    \"rate_limit_per_minute\": 600\n"
    "  },\n"
    "  \"cost_per_execution\": 0.0\n"
    "}\n";

/* One instance: just the host table (immutable after on_init). */
typedef struct example_instance {
    const renum_host_api *host;
} example_instance;

/* A malloc'ed copy of len bytes (plus a NUL for convenience; the length excludes it). */
static char *example_copy(const char *bytes, size_t len) {
    char *copy = (char *)malloc(len + 1);
    if (copy == NULL) return NULL;
    if (len > 0) memcpy(copy, bytes, len);
    copy[len] = '\0';
    return copy;
}

/* Fill a structured error. Returns ERROR, or NO_MEMORY if the copies failed. */
static renum_plugin_result example_fail(renum_plugin_error *error, const char *code, const char *message) {
    error->code = example_copy(code, strlen(code));
    error->code_len = error->code ? strlen(code) : 0;
    error->message = example_copy(message, strlen(message));
    error->message_len = error->message ? strlen(message) : 0;
    return (error->code && error->message) ? RENUM_PLUGIN_RESULT_ERROR : RENUM_PLUGIN_RESULT_NO_MEMORY;
}

/* Hand a malloc'ed output buffer to the host. */
static renum_plugin_result example_output(renum_plugin_invoke_output *out, char *json, size_t len) {
    if (json == NULL) return RENUM_PLUGIN_RESULT_NO_MEMORY;
    out->output_json = json;
    out->output_json_len = len;
    return RENUM_PLUGIN_RESULT_OK;
}

static int example_is(const char *name, size_t len, const char *literal) {
    return len == strlen(literal) && memcmp(name, literal, len) == 0;
}

static renum_plugin_result example_on_init(const renum_host_api *host, const char *config_json,
                                           size_t config_json_len, void **out_instance,
                                           renum_plugin_error *out_error) {
    (void)config_json;
    (void)config_json_len;
    if (host == NULL || host->struct_size < RENUM_HOST_API_SIZE_1_0) {
        return example_fail(out_error, "INVALID_HOST", "host table missing or older than ABI 1.0");
    }
    example_instance *instance = (example_instance *)malloc(sizeof(example_instance));
    if (instance == NULL) return example_fail(out_error, "NO_MEMORY", "cannot allocate the instance");
    instance->host = host;
    static const char hello[] = "example-c-echo: initialised";
    host->log(NULL, RENUM_PLUGIN_LOG_INFO, hello, sizeof(hello) - 1);
    *out_instance = instance;
    return RENUM_PLUGIN_RESULT_OK;
}

static renum_plugin_result example_on_invoke(void *opaque, renum_plugin_call_context *ctx,
                                             const char *capability, size_t capability_len,
                                             const char *input_json, size_t input_json_len,
                                             renum_plugin_invoke_output *out) {
    example_instance *instance = (example_instance *)opaque;
    const renum_host_api *host = instance->host;

    if (example_is(capability, capability_len, "echo")) {
        /* The host validated the input as JSON: wrap it as-is. */
        static const char prefix[] = "{\"echo\":";
        size_t len = (sizeof(prefix) - 1) + input_json_len + 1;
        char *json = (char *)malloc(len + 1);
        if (json == NULL) return RENUM_PLUGIN_RESULT_NO_MEMORY;
        memcpy(json, prefix, sizeof(prefix) - 1);
        memcpy(json + sizeof(prefix) - 1, input_json, input_json_len);
        json[len - 1] = '}';
        json[len] = '\0';
        return example_output(out, json, len);
    }
    if (example_is(capability, capability_len, "fail")) {
        return example_fail(&out->error, "EXAMPLE_FAILURE", "the fail capability always fails");
    }
    if (example_is(capability, capability_len, "whoami")) {
        static const char line[] = "whoami called";
        host->log(ctx, RENUM_PLUGIN_LOG_INFO, line, sizeof(line) - 1);
        if (host->meter(ctx, "greeting", 8, 1.0) != RENUM_PLUGIN_RESULT_OK) {
            return example_fail(&out->error, "METER_REFUSED", "the host refused the greeting unit");
        }
        char buffer[128];
        int len = snprintf(buffer, sizeof buffer, "{\"agent_id\":\"example-c-echo\",\"now_ns\":%llu}",
                           (unsigned long long)host->now(ctx));
        if (len < 0 || (size_t)len >= sizeof buffer) return RENUM_PLUGIN_RESULT_NO_MEMORY;
        return example_output(out, example_copy(buffer, (size_t)len), (size_t)len);
    }
    if (example_is(capability, capability_len, "fetch")) {
        char *response = NULL;
        size_t response_len = 0;
        renum_plugin_result result = host->http_request(ctx, input_json, input_json_len, &response, &response_len);
        if (result != RENUM_PLUGIN_RESULT_OK) {
            host->free_buffer(response, response_len); /* the optional error JSON; NULL is fine */
            switch (result) {
            case RENUM_PLUGIN_RESULT_DENIED:
                return example_fail(&out->error, "EGRESS_DENIED", "the host refused the request");
            case RENUM_PLUGIN_RESULT_TIMEOUT:
                return example_fail(&out->error, "TIMEOUT", "the request timed out");
            default:
                return example_fail(&out->error, "HTTP_FAILED", "the request failed");
            }
        }
        /* Copy into our own allocation: host buffers go back to the host. */
        char *json = example_copy(response, response_len);
        host->free_buffer(response, response_len);
        return example_output(out, json, response_len);
    }
    return example_fail(&out->error, "UNKNOWN_CAPABILITY", "no such capability");
}

static void example_on_free(char *buffer, size_t buffer_len) {
    (void)buffer_len;
    free(buffer);
}

static void example_on_shutdown(void *instance) {
    free(instance);
}

static const renum_plugin_descriptor example_descriptor = {
    RENUM_PLUGIN_MAGIC,
    sizeof(renum_plugin_descriptor),
    RENUM_PLUGIN_ABI_MAJOR,
    RENUM_PLUGIN_ABI_MINOR,
    example_manifest,
    sizeof(example_manifest) - 1,
    example_on_init,
    example_on_invoke,
    example_on_free,
    example_on_shutdown,
};

RENUM_PLUGIN_EXPORT const renum_plugin_descriptor *renum_plugin_entry(void) {
    return &example_descriptor;
}
