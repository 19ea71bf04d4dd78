#!/usr/bin/env bash
# Durability of webhook ingestion under SIGKILL: start the server, create a WhatsApp
# integration, fire signed unique webhooks from many connections, SIGKILL the server in the
# middle of the load, restart it on the same data dir, then check that every request that got
# a 202 has its log row and its job, and that every job ends processed exactly once (finished,
# counted once in integration_analytics). Prints PASS or FAIL; exits non-zero on failure.
#
#   TARGET=renum   ./bench/webhook-durability.sh   # renum serve (once App wires IntegrationsFeature)
#   TARGET=harness ./bench/webhook-durability.sh   # the same stack hosted by the IntegrationsTests harness
#   LOAD_SECONDS=8 KILL_AFTER=4 CONNECTIONS=32 INTEGRATIONS=4 ./bench/webhook-durability.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/webhook-target.sh

# These bench integrations name no agent, so renum routes their events to the orchestrator,
# which does not exist yet: each job ends once, as a dead letter. That still proves "finished
# exactly once"; the test suite (WebhookDurabilityTests) proves the same with a real agent.
if [[ $TARGET == renum ]]; then ALLOW_DEAD=${ALLOW_DEAD:-1}; fi
LOAD_SECONDS=${LOAD_SECONDS:-8}
KILL_AFTER=${KILL_AFTER:-4}
CONNECTIONS=${CONNECTIONS:-32}
INTEGRATIONS=${INTEGRATIONS:-4}

work=$(mktemp -d)
trap '[[ -n ${TARGET_PID:-} ]] && kill -9 "$TARGET_PID" 2>/dev/null; rm -rf "$work"' EXIT
build_target
start_target "$work/data" "$work/server.log"
ids=$(create_integrations "$INTEGRATIONS")
echo "durability: target $TARGET, $INTEGRATIONS integrations, $CONNECTIONS connections, SIGKILL after ${KILL_AFTER}s of ${LOAD_SECONDS}s"

python3 bench/webhook_tools.py load --port "$TARGET_PORT" --ids "$ids" --secret "$APP_SECRET" \
    --out "$work/accepted.txt" --threads "$CONNECTIONS" --seconds "$LOAD_SECONDS" &
loader=$!
sleep "$KILL_AFTER"
kill -9 "$TARGET_PID"
echo "durability: SIGKILLed the server (pid $TARGET_PID) with $(wc -l < "$work/accepted.txt") requests acknowledged so far"
wait "$TARGET_PID" 2>/dev/null || true
sleep 0.5
start_target "$work/data" "$work/server.log"
echo "durability: restarted on the same data dir (pid $TARGET_PID)"
wait "$loader"
status=0
python3 bench/webhook_tools.py check --db "$work/data/renum.sqlite3" --accepted "$work/accepted.txt" \
    --timeout "${CHECK_TIMEOUT:-120}" ${ALLOW_DEAD:+--allow-dead} || status=1
stop_target "$work/data"
TARGET_PID=
exit $status
