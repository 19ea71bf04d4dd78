#!/usr/bin/env bash
# Plugin calls through the HTTP API, on the release build, in one run:
#   1. wrk GET /healthz (baseline) and wrk POST /api/v1/agents/{id}/invoke of a no-op C plugin:
#      requests/s, p50/p90/p99, and the ratio to the baseline;
#   2. a hot-swap under continuous wrk load: version 2 is approved mid-run; prints the calls
#      that failed (non-2xx or socket errors: the goal is 0) and the time from the approve
#      response to the first call answered by version 2.
#
#   DURATION=10s CONNECTIONS=64 ./bench/invoke-http.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/wrk-figures.sh
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
[[ -x .build/release/renum && -f .build/release/libsa-http-generic.so ]] || swift build -c release

work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export RENUM_JWT_SECRET=$(openssl rand -hex 32)
.build/release/renum serve --port "$port" --data-dir "$work/data" --log-level warning 2>"$work/server.log" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
url="http://127.0.0.1:$port"
for _ in $(seq 100); do curl -fs "$url/healthz" >/dev/null && break; sleep 0.1; done
curl -fs "$url/healthz" >/dev/null || { echo "renum did not start:" >&2; cat "$work/server.log" >&2; exit 1; }
admin=$(.build/release/renum token --sub "$(cat /proc/sys/kernel/random/uuid)" --admin)
user=$(.build/release/renum token --sub "$(cat /proc/sys/kernel/random/uuid)")

publish() { # version, action
    local version=$1 action=$2 manifest="$work/manifest-$1.json"
    cat > "$manifest" <<JSON
{"agent_id": "bench-noop", "version": "$version", "name": "Bench no-op", "description": "answers {} at once",
 "capabilities": [{"name": "noop", "description": "does nothing", "input_schema": {}, "output_schema": {}}],
 "required_credentials": [], "cost_per_execution": 0,
 "policy": {"isolation": "inprocess", "timeout_ms": 5000, "max_concurrency": 256, "allowed_hosts": [], "rate_limit_per_minute": 1000000}}
JSON
    mkdir -p "$work/inc-$version"
    python3 -c 'import json,sys; print(json.dumps(open(sys.argv[1]).read()))' "$manifest" > "$work/inc-$version/manifest.inc"
    cc -std=c11 -O2 -shared -fPIC -I SDK/c/include -I "$work/inc-$version" Plugins/examples/test-plugin/test_plugin.c -o "$work/lib-$version.so"
    curl -fsS -o /dev/null -X POST "$url/api/v1/agents" -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' --data-binary @"$manifest" || { echo "registering $version failed" >&2; exit 1; }
    curl -fs -o /dev/null -X PUT "$url/api/v1/agents/bench-noop/versions/$version/artifact" -H "Authorization: Bearer $admin" \
        -H 'Content-Type: application/octet-stream' --data-binary @"$work/lib-$version.so"
    curl -fs -o /dev/null -X PUT "$url/api/v1/agents/bench-noop/stage?version=$version" -H "Authorization: Bearer $admin"
    if [[ $action == approve ]]; then
        curl -fs -o /dev/null -X PUT "$url/api/v1/agents/bench-noop/approve?version=$version" -H "Authorization: Bearer $admin"
    fi
}
publish 1.0.0 approve
publish 2.0.0 stage

cat > "$work/invoke.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"capability": "noop", "input": {}}'
wrk.headers["Content-Type"] = "application/json"
LUA

summary() { # label file
    local rps p50 p90 p99 bad
    read -r rps p50 p90 p99 bad < <(wrk_figures "$2")
    printf '%-40s %12s %10s %10s %10s  non-2xx %s %s\n' "$1" "$rps" "$p50" "$p90" "$p99" "$bad" "$(grep 'Socket errors' "$2" || true)"
}

echo "renum invoke bench: wrk -t2 -c$CONNECTIONS -d$DURATION, $(nproc) cores, release build"
printf '%-40s %12s %10s %10s %10s\n' "route" "requests/s" "p50" "p90" "p99"
wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "$url/healthz" > "$work/healthz.txt"
summary "GET /healthz (baseline)" "$work/healthz.txt"
wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$work/invoke.lua" -H "Authorization: Bearer $user" \
    "$url/api/v1/agents/bench-noop/invoke" > "$work/invoke.txt"
summary "POST /agents/bench-noop/invoke (noop)" "$work/invoke.txt"
awk '/Requests\/sec/ {print $2}' "$work/healthz.txt" "$work/invoke.txt" | paste -sd' ' | awk '{printf "ratio invoke / healthz: %.2f\n", $2/$1}'

echo "hot-swap under load: approving 2.0.0 half-way through a $DURATION wrk run"
wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$work/invoke.lua" -H "Authorization: Bearer $user" \
    "$url/api/v1/agents/bench-noop/invoke" > "$work/swap.txt" &
load=$!
sleep "$(( ${DURATION%s} / 2 ))"
python3 - "$url" "$admin" "$user" <<'PY'
import json, sys, time, urllib.request
url, admin, user = sys.argv[1:4]
def call(method, path, token, body=None):
    request = urllib.request.Request(url + path, method=method, data=body,
                                     headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return response.status, response.read()
start = time.perf_counter()
status, _ = call("PUT", "/api/v1/agents/bench-noop/approve?version=2.0.0", admin)
approved = time.perf_counter()
while True:
    _, body = call("POST", "/api/v1/agents/bench-noop/invoke", user, b'{"capability": "noop", "input": {}}')
    if json.loads(body)["version"] == "2.0.0":
        break
served = time.perf_counter()
print(f"approve request took {1000 * (approved - start):.2f} ms (load + swap); first call served by 2.0.0 "
      f"{1000 * (served - approved):.3f} ms after the approve response")
PY
wait $load
summary "invoke during the swap" "$work/swap.txt"
