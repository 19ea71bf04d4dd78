#!/usr/bin/env bash
# In-process invoke benchmark: ns per call of a no-op capability through
# LoadedPlugin.invoke (metering included), with and without schema validation, the async
# AgentRuntime path, and baselines (direct C function-pointer call, Swift closure call)
# measured in the same run. Release build.
#
#   CALLS=2000000 ./bench/invoke.sh
set -euo pipefail
cd "$(dirname "$0")/.."

CALLS=${CALLS:-2000000}
swift build -c release --product renum-bench
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cc -O2 -std=c99 -shared -fPIC -I SDK/c/include Plugins/examples/noop/noop.c -o "$work/libnoop.so"
"$(swift build -c release --show-bin-path)/renum-bench" "$work/libnoop.so" "$CALLS"
