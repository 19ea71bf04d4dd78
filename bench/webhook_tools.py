#!/usr/bin/env python3
"""Helpers for bench/webhooks.sh and bench/webhook-durability.sh (standard library only).

  bodies  --out F --count N --ids a,b --secret S      pre-signed unique WhatsApp-shaped webhooks for wrk
  load    --port P --ids a,b --secret S --out F ...    signed unique webhooks from threads; every 202's request_id to F
  check   --db PATH --accepted F [--timeout S]         every 202'd request has its log row and job; all jobs end processed once
"""
import argparse
import hashlib
import hmac
import http.client
import json
import os
import sqlite3
import sys
import threading
import time
import uuid


def whatsapp_body(wamid, phone="5511987654321"):
    return json.dumps({
        "object": "whatsapp_business_account",
        "entry": [{"id": "102290129340398", "changes": [{"field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"},
            "contacts": [{"profile": {"name": "Bench User"}, "wa_id": phone}],
            "messages": [{"from": phone, "id": wamid, "timestamp": str(int(time.time())),
                          "type": "text", "text": {"body": "Oi, quero saber do meu pedido"}}]}}]}]},
        separators=(",", ":")).encode()


def sign(secret, body):
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def bodies(args):
    ids = args.ids.split(",")
    run = uuid.uuid4().hex[:8]
    with open(args.out, "wb") as out:
        for i in range(args.count):
            body = whatsapp_body(f"wamid.bench{run}{i:09d}")
            out.write(f"/api/v1/webhook/{ids[i % len(ids)]}\t{sign(args.secret, body)}\t".encode() + body + b"\n")


def load(args):
    ids = args.ids.split(",")
    stop_at = time.time() + args.seconds
    lock = threading.Lock()
    out = open(args.out, "a", buffering=1)
    counts = {"202": 0, "other": 0, "errors": 0}

    def worker(n):
        conn = None
        i = 0
        while time.time() < stop_at and not os.path.exists(args.stop_file or "/nonexistent"):
            i += 1
            body = whatsapp_body(f"wamid.dur{uuid.uuid4().hex}")
            path = f"/api/v1/webhook/{ids[(n + i) % len(ids)]}"
            try:
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=5)
                conn.request("POST", path, body, {"Content-Type": "application/json",
                                                  "X-Hub-Signature-256": sign(args.secret, body)})
                response = conn.getresponse()
                data = response.read()
                with lock:
                    if response.status == 202:
                        out.write(json.loads(data)["request_id"] + "\n")  # line-buffered: written before the next request
                        counts["202"] += 1
                    else:
                        counts["other"] += 1
            except Exception:
                with lock:
                    counts["errors"] += 1
                conn = None
                time.sleep(0.05)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(args.threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    out.close()
    print(f"load: {counts['202']} accepted, {counts['other']} other statuses, {counts['errors']} connection errors")


def check(args):
    accepted = [line.strip() for line in open(args.accepted) if line.strip()]
    db = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True, timeout=30)
    deadline = time.time() + args.timeout
    while True:
        pending = db.execute("SELECT COUNT(*) FROM jobs WHERE status IN ('queued', 'leased')").fetchone()[0]
        if pending == 0 or time.time() > deadline:
            break
        time.sleep(0.5)
    failures = []
    logs = dict(db.execute("SELECT request_id, COUNT(*) FROM webhook_logs GROUP BY request_id").fetchall())
    jobs = dict(db.execute("SELECT request_id, COUNT(*) FROM jobs GROUP BY request_id").fetchall())
    missing_log = [r for r in accepted if logs.get(r, 0) != 1]
    missing_job = [r for r in accepted if jobs.get(r, 0) != 1]
    if missing_log:
        failures.append(f"{len(missing_log)} accepted requests without exactly one log row (e.g. {missing_log[:3]})")
    if missing_job:
        failures.append(f"{len(missing_job)} accepted requests without exactly one job (e.g. {missing_job[:3]})")
    statuses = dict(db.execute("SELECT status, COUNT(*) FROM jobs GROUP BY status").fetchall())
    total_jobs = sum(statuses.values())
    if pending:
        failures.append(f"{pending} jobs still queued or leased after {args.timeout}s")
    if statuses.get("dead", 0) and not args.allow_dead:
        failures.append(f"{statuses['dead']} dead jobs")
    uncounted = db.execute("SELECT COUNT(*) FROM jobs WHERE status IN ('done', 'dead') AND counted_day IS NULL").fetchone()[0]
    counted = db.execute("SELECT COALESCE(SUM(total), 0), COALESCE(SUM(successful), 0), COALESCE(SUM(failed), 0) "
                         "FROM integration_analytics").fetchone()
    rejected = db.execute("SELECT COUNT(*) FROM webhook_logs WHERE outcome IN ('rejected', 'invalid')").fetchone()[0]
    if uncounted:
        failures.append(f"{uncounted} finished jobs never counted")
    if counted[0] != total_jobs + rejected:
        failures.append(f"analytics count {counted[0]} requests, expected {total_jobs} jobs + {rejected} refusals: "
                        "some request was processed (counted) more or less than once")
    processed = db.execute("SELECT COUNT(*) FROM webhook_logs WHERE outcome = 'processed'").fetchone()[0]
    print(f"check: {len(accepted)} requests got 202; jobs by status {statuses}; {processed} log rows processed; "
          f"analytics total/successful/failed = {counted[0]}/{counted[1]}/{counted[2]}")
    for failure in failures:
        print("FAIL: " + failure)
    print("PASS" if not failures else "FAIL")
    return 0 if not failures else 1


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("bodies")
    b.add_argument("--out", required=True)
    b.add_argument("--count", type=int, default=100000)
    b.add_argument("--ids", required=True)
    b.add_argument("--secret", required=True)
    l = sub.add_parser("load")
    l.add_argument("--port", type=int, required=True)
    l.add_argument("--ids", required=True)
    l.add_argument("--secret", required=True)
    l.add_argument("--out", required=True)
    l.add_argument("--threads", type=int, default=16)
    l.add_argument("--seconds", type=float, default=10)
    l.add_argument("--stop-file")
    c = sub.add_parser("check")
    c.add_argument("--db", required=True)
    c.add_argument("--accepted", required=True)
    c.add_argument("--timeout", type=float, default=120)
    c.add_argument("--allow-dead", action="store_true")
    args = parser.parse_args()
    if args.command == "bodies":
        bodies(args)
    elif args.command == "load":
        load(args)
    else:
        sys.exit(check(args))


if __name__ == "__main__":
    main()
