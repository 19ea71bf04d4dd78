#!/usr/bin/env bash
# Webhook ingestion benchmark: wrk with signed, unique WhatsApp-shaped webhooks (pre-signed
# bodies cycled by bench/webhooks.lua) against POST /api/v1/webhook/{id} — verify on the raw
# body, mask, seal, dedupe, log row + job row committed (group commit, synchronous FULL) before
# 202 — then the same load against a minimal FastAPI + uvicorn + SQLite receiver doing the same
# essential work (bench/reference/receiver.py), and the ratio. Job workers run during the load.
# Last, bench/sqlite_ceiling.py commits the same rows with SQLite alone (no HTTP, no workers) on a
# copy of the database: the ceiling the storage step puts on any receiver here, and the ratio.
#
#   TARGET=renum|harness DURATION=10s CONNECTIONS=64 THREADS=2 INTEGRATIONS=32 ./bench/webhooks.sh
#
# wrk, the server and its workers share the machine's cores: compare figures within one run.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/webhook-target.sh
source bench/wrk-figures.sh

DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
# GCRA caps one integration at rate_limit_per_minute (at most 100000/min): spread the load.
INTEGRATIONS=${INTEGRATIONS:-32}
# Unique bodies: more than the run can send, or the tail of the run measures duplicates (200s).
BODIES=${BODIES:-800000}

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
venv=bench/reference/.venv
if [[ ! -x $venv/bin/uvicorn ]]; then
    python3 -m venv "$venv" && "$venv/bin/pip" install -q -r bench/reference/requirements.txt
fi

work=$(mktemp -d)
trap '[[ -n ${TARGET_PID:-} ]] && kill -9 "$TARGET_PID" 2>/dev/null; [[ -n ${ref:-} ]] && kill "$ref" 2>/dev/null; rm -rf "$work"' EXIT
build_target
start_target "$work/data" "$work/server.log"
ids=$(create_integrations "$INTEGRATIONS")
python3 bench/webhook_tools.py bodies --out "$work/bodies.txt" --count "$BODIES" --ids "$ids" --secret "$APP_SECRET"

run() { # label, file, url
    WEBHOOK_BODIES="$work/bodies.txt" WRK_THREADS=$THREADS \
        wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/webhooks.lua "$3" > "$work/$2.txt"
    local rps p50 p90 p99 statuses
    read -r rps p50 p90 p99 _ < <(wrk_figures "$work/$2.txt")
    statuses=$(awk '/^statuses:/ {$1=""; print}' "$work/$2.txt")
    printf '%-30s %12s %10s %10s %10s  %s\n' "$1" "$rps" "$p50" "$p90" "$p99" "$statuses"
    echo "$rps" > "$work/$2.rps"
}

echo "webhook bench: target $TARGET, wrk -t$THREADS -c$CONNECTIONS -d$DURATION, $INTEGRATIONS integrations, $BODIES unique bodies, $(nproc) cores"
printf '%-30s %12s %10s %10s %10s  %s\n' "receiver" "requests/s" "p50" "p90" "p99" "statuses"
run "renum ingest" renum "http://127.0.0.1:$TARGET_PORT"
if [[ $TARGET == renum ]]; then
    # Group commit as the writer saw it: writes per COMMIT, SQL and COMMIT (WAL write) time, and the WAL syncs.
    curl -fs "http://127.0.0.1:$TARGET_PORT/metrics" | awk '
        /^renum_storage_write_batch_size_sum/ {bs=$2} /^renum_storage_write_batch_size_count/ {bc=$2}
        /^renum_storage_batch_run_seconds_sum/ {rs=$2} /^renum_storage_commit_seconds_sum/ {cs=$2}
        /^renum_storage_wal_sync_seconds_sum/ {ss=$2} /^renum_storage_wal_sync_seconds_count/ {sc=$2}
        END { if (bc > 0) printf "  writer: %d commits, %.1f writes per commit, %.2f ms SQL + %.2f ms COMMIT per commit; %d WAL syncs of %.2f ms (pipelined)\n",
                                 bc, bs/bc, 1000*rs/bc, 1000*cs/bc, sc, (sc > 0 ? 1000*ss/sc : 0) }'
fi
python3 - "$work/data/renum.sqlite3" <<'PY'
import sqlite3, sys
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
print("  renum rows: webhook_logs=%d jobs=%d (by status %s)" % (
    db.execute("SELECT COUNT(*) FROM webhook_logs").fetchone()[0], db.execute("SELECT COUNT(*) FROM jobs").fetchone()[0],
    dict(db.execute("SELECT status, COUNT(*) FROM jobs GROUP BY status").fetchall())))
PY
stop_target "$work/data"
TARGET_PID=
# The storage step alone, on a copy of the same database: what SQLite commits here with nothing else running.
python3 bench/sqlite_ceiling.py --db "$work/data/renum.sqlite3" --count "${CEILING_COUNT:-40000}" | tee "$work/ceiling.txt"

ref_port=$(free_port)
(cd bench/reference && APP_SECRET=$APP_SECRET DB="$work/reference.sqlite3" \
    exec .venv/bin/uvicorn receiver:app --host 127.0.0.1 --port "$ref_port" --no-access-log --log-level warning \
    ${REF_WORKERS:+--workers $REF_WORKERS}) 2>"$work/reference.log" &
ref=$!
for _ in $(seq 200); do curl -s -o /dev/null "http://127.0.0.1:$ref_port/docs" && break; sleep 0.05; done
run "FastAPI+uvicorn+SQLite" reference "http://127.0.0.1:$ref_port"
kill "$ref"; wait "$ref" 2>/dev/null || true; ref=
awk -v r="$(cat "$work/renum.rps")" -v f="$(cat "$work/reference.rps")" \
    'BEGIN { printf "ratio renum / FastAPI reference: %.2f\n", r / f }'
awk -v r="$(cat "$work/renum.rps")" '/deliveries\/s/ { for (i = 1; i <= NF; i++) if ($(i+1) == "deliveries/s;") c = $i }
    END { if (c > 0) printf "ratio renum / SQLite-alone ceiling: %.2f\n", r / c }' "$work/ceiling.txt"
