/*
 * The benchmark's no-op plugin: answers "{}" (malloc'ed, as a real plugin would) to
 * "noop" (schemas {}) and "typed" (schemas {"type": "object"}).
 *
 *   cc -O2 -std=c99 -shared -fPIC -I SDK/c/include noop.c -o libnoop.so
 */
#include <stdlib.h>
#include <string.h>

#include "renum_plugin.h"

static const char manifest[] =
    "{\"agent_id\": \"bench-noop\", \"version\": \"1.0.0\", \"name\": \"No-op\","
    " \"description\": \"Does nothing, for the invoke benchmark.\","
    " \"capabilities\": ["
    "  {\"name\": \"noop\", \"description\": \"returns {}\", \"input_schema\": {}, \"output_schema\": {}},"
    "  {\"name\": \"typed\", \"description\": \"returns {}\", \"input_schema\": {\"type\": \"object\"},"
    "   \"output_schema\": {\"type\": \"object\"}}],"
    " \"policy\": {\"isolation\": \"inprocess\", \"timeout_ms\": 1000, \"max_concurrency\": 64}}";

static renum_plugin_result on_init(const renum_host_api *host, const char *config, size_t config_len,
                                   void **out_instance, renum_plugin_error *error) {
    (void)host; (void)config; (void)config_len; (void)error;
    *out_instance = NULL;
    return RENUM_PLUGIN_RESULT_OK;
}

static renum_plugin_result on_invoke(void *instance, renum_plugin_call_context *ctx, const char *capability,
                                     size_t capability_len, const char *input, size_t input_len,
                                     renum_plugin_invoke_output *out) {
    (void)instance; (void)ctx; (void)capability; (void)capability_len; (void)input; (void)input_len;
    char *json = malloc(2);
    if (json == NULL) return RENUM_PLUGIN_RESULT_NO_MEMORY;
    memcpy(json, "{}", 2);
    out->output_json = json;
    out->output_json_len = 2;
    return RENUM_PLUGIN_RESULT_OK;
}

static void on_free(char *buffer, size_t len) {
    (void)len;
    free(buffer);
}

static void on_shutdown(void *instance) { (void)instance; }

static const renum_plugin_descriptor descriptor = {
    RENUM_PLUGIN_MAGIC, sizeof(renum_plugin_descriptor), RENUM_PLUGIN_ABI_MAJOR, RENUM_PLUGIN_ABI_MINOR,
    manifest, sizeof(manifest) - 1, on_init, on_invoke, on_free, on_shutdown,
};

RENUM_PLUGIN_EXPORT const renum_plugin_descriptor *renum_plugin_entry(void) { return &descriptor; }
