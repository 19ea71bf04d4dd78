#!/usr/bin/env python3
"""What SQLite alone can commit on this machine for renum's ingestion write (standard library only).

  sqlite_ceiling.py --db RENUM_DB [--count N] [--batch B] [--synchronous FULL|NORMAL]

Copies a renum database (schema and integrations), empties the ingestion tables, then commits
deliveries the way renum's writer does: one transaction per batch, for each delivery a lookup
of its idempotency key (a random provider id) then its insert (no savepoint: the write checks
before it changes), the webhook_logs row (payload, headers and sealed body of the bench's sizes)
and the job row, time-ordered ids, and renum's pragmas. No HTTP, no
verification, no masking, no job workers: a ceiling for the storage step, not a target. Python's
own per-statement cost is included, so SQLite's share is somewhat below the time printed.
"""
import argparse
import os
import shutil
import sqlite3
import tempfile
import time
import uuid


def time_ordered_id(millis):
    return "%08x-%04x-7%s" % (millis >> 16, millis & 0xFFFF, str(uuid.uuid4())[15:])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--count", type=int, default=40000)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--synchronous", default="FULL", choices=["FULL", "NORMAL"])
    args = parser.parse_args()

    work = tempfile.mkdtemp()
    path = os.path.join(work, "ceiling.sqlite3")
    source = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    target = sqlite3.connect(path)
    source.backup(target)
    source.close()
    for table in ("jobs", "webhook_logs", "webhook_idempotency"):
        target.execute(f"DELETE FROM {table}")
    target.commit()
    target.execute("VACUUM")
    target.close()

    db = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode = WAL", f"synchronous = {args.synchronous}", "temp_store = MEMORY",
                   "cache_size = -65536", "foreign_keys = ON", "wal_autocheckpoint = 16384"):
        db.execute("PRAGMA " + pragma)
    integrations = db.execute("SELECT id, user_id FROM integrations").fetchall()
    if not integrations:
        raise SystemExit("the database has no integrations")
    payload, headers, sealed = "p" * 465, "h" * 118, os.urandom(558)

    written, sql_seconds, commit_seconds = 0, 0.0, 0.0
    started = time.perf_counter()
    while written < args.count:
        began = time.perf_counter()
        db.execute("BEGIN IMMEDIATE")
        for _ in range(args.batch):
            integration, user = integrations[written % len(integrations)]
            now = time.time()
            millis = int(now * 1000)
            stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now)) + ".%03dZ" % (millis % 1000)
            request, log = time_ordered_id(millis), time_ordered_id(millis)
            key = "provider:wamid." + uuid.uuid4().hex
            if db.execute("SELECT request_id FROM webhook_idempotency WHERE integration_id = ? AND idempotency_key = ?",
                          (integration, key)).fetchone():
                raise SystemExit("a random key repeated")
            db.execute("INSERT INTO webhook_idempotency (integration_id, idempotency_key, request_id, created_at) "
                       "VALUES (?, ?, ?, ?)", (integration, key, request, stamp))
            db.execute("INSERT INTO webhook_logs (id, integration_id, user_id, request_id, method, headers, payload, "
                       "status_code, outcome, provider_event_id, provider_ids, webhook_id, sealed_body, created_at) "
                       "VALUES (?, ?, ?, ?, 'POST', ?, ?, 202, 'accepted', ?, '[]', NULL, ?, ?)",
                       (log, integration, user, request, headers, payload, "wamid", sealed, stamp))
            db.execute("INSERT INTO jobs (id, integration_id, user_id, webhook_log_id, request_id, status, attempts, "
                       "max_attempts, next_attempt_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'queued', 0, 5, ?, ?, ?)",
                       (time_ordered_id(millis), integration, user, log, request, stamp, stamp, stamp))
            written += 1
        committing = time.perf_counter()
        db.execute("COMMIT")
        done = time.perf_counter()
        sql_seconds += committing - began
        commit_seconds += done - committing
    elapsed = time.perf_counter() - started
    commits = written / args.batch
    print("sqlite alone (%s, batch %d): %.0f deliveries/s; per commit %.2f ms SQL + %.2f ms COMMIT"
          % (args.synchronous, args.batch, written / elapsed, 1000 * sql_seconds / commits, 1000 * commit_seconds / commits))
    db.close()
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
