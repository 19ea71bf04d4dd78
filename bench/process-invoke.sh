#!/bin/sh
# The round trip of a no-op invoke in process mode (sandboxed `renum worker`) beside
# in-process mode, in the same run. Builds release; compiles the C example plugin.
#   bench/process-invoke.sh [calls]     (default 20000, after 2000 warm-up calls)
set -eu
cd "$(dirname "$0")/.."
swift build -c release --product renum >/dev/null
swift build -c release --product renum-sandbox-bench >/dev/null
bin="$(swift build -c release --show-bin-path)"
work="$(mktemp -d)"
chmod 755 "$work"   # the worker runs as nobody: the artifact must be readable by it
trap 'rm -rf "$work"' EXIT
cc -std=c99 -O2 -shared -fPIC -I SDK/c/include Plugins/examples/c-echo/echo.c -o "$work/libexample-c-echo.so"
"$bin/renum-sandbox-bench" "$bin/renum" "$work/libexample-c-echo.so" Plugins/examples/c-echo/manifest.json "${1:-20000}"
