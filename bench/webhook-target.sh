# Sourced by bench/webhooks.sh and bench/webhook-durability.sh: start, stop and kill the server
# under test, and create WhatsApp integrations on it.
#
# TARGET=renum   (default) .build/release/renum serve: needs IntegrationsFeature wired into App.
# TARGET=harness the same ingestion stack hosted by the IntegrationsTests BenchHarness (release
#                build of the tests), for use before App is wired.
TARGET=${TARGET:-renum}
APP_SECRET=${APP_SECRET:-bench-app-secret}

build_target() {
    if [[ $TARGET == renum ]]; then
        # renum refuses to start without its bundled plugin libraries: build every product.
        [[ -x .build/release/renum && -f .build/release/libsa-http-generic.so ]] || swift build -c release
    else
        swift build -c release --build-tests -Xswiftc -enable-testing >/dev/null
    fi
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# start_target DATA_DIR LOG_FILE: sets TARGET_PORT (kept across restarts), TARGET_PID, TOKEN.
start_target() {
    local dir=$1 log=$2
    mkdir -p "$dir"
    TARGET_PORT=${TARGET_PORT:-$(free_port)}
    if [[ $TARGET == renum ]]; then
        export RENUM_JWT_SECRET=${RENUM_JWT_SECRET:-$(openssl rand -hex 32)}
        .build/release/renum serve --port "$TARGET_PORT" --data-dir "$dir" --log-level warning 2>>"$log" &
        TARGET_PID=$!
        for _ in $(seq 200); do curl -fs "http://127.0.0.1:$TARGET_PORT/healthz" >/dev/null && break; sleep 0.05; done
        TOKEN=$(.build/release/renum token --sub "${BENCH_USER:=$(cat /proc/sys/kernel/random/uuid)}")
    else
        rm -f "$dir"/harness.{pid,port,token,stop,deliveries}
        # Swift Testing captures a backtrace for every thrown error (JSONValue decoding throws and
        # catches internally): off, or the harness measures backtraces instead of renum.
        SWT_SWIFT_ERROR_BACKTRACING_ENABLED=0 RENUM_HARNESS_DIR=$dir RENUM_HARNESS_PORT=$TARGET_PORT \
            swift test -c release --skip-build -Xswiftc -enable-testing --filter 'BenchHarness' >>"$log" 2>&1 &
        for _ in $(seq 600); do [[ -s $dir/harness.port ]] && break; sleep 0.05; done
        [[ -s $dir/harness.port ]] || { echo "the harness did not start; see $log" >&2; return 1; }
        TARGET_PID=$(cat "$dir/harness.pid")
        TOKEN=$(cat "$dir/harness.token")
    fi
}

# stop_target DATA_DIR: graceful stop (SIGTERM for renum, the stop file for the harness).
stop_target() {
    if [[ $TARGET == renum ]]; then kill -TERM "$TARGET_PID" 2>/dev/null || true
    else touch "$1/harness.stop"; fi
    while kill -0 "$TARGET_PID" 2>/dev/null; do sleep 0.1; done
    wait 2>/dev/null || true
}

# create_integrations COUNT: prints comma-separated ids of new WhatsApp integrations signed with APP_SECRET.
create_integrations() {
    local ids=()
    for i in $(seq "$1"); do
        ids+=("$(curl -fs -X POST "http://127.0.0.1:$TARGET_PORT/api/v1/integrations" -H "Authorization: Bearer $TOKEN" \
            -H 'Content-Type: application/json' -d "{\"name\":\"bench $i\",\"type\":\"whatsapp\",\"rate_limit_per_minute\":100000,
              \"config\":{\"business_phone_number\":\"+15550783881\",\"access_token\":\"bench-access\",
                        \"webhook_verify_token\":\"bench-verify\",\"app_secret\":\"$APP_SECRET\"}}" |
            python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')")
    done
    (IFS=,; echo "${ids[*]}")
}
