"""A minimal FastAPI + uvicorn + SQLite webhook receiver: the reference for bench/webhooks.sh.

It does the same essential work as Renum's ingestion path, and no more: verify the WhatsApp
X-Hub-Signature-256 on the raw body in constant time, insert a log row and a job row in one
transaction (WAL, synchronous=FULL like Renum's default), answer 202 {"request_id"}.
It does not mask PII, seal the body, deduplicate, rate-limit or look the integration up.

    APP_SECRET=... DB=/tmp/ref.sqlite3 uvicorn receiver:app --port 8001 --no-access-log
"""
import hashlib
import hmac
import json
import os
import sqlite3
import time
import uuid

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

APP_SECRET = os.environ.get("APP_SECRET", "bench-app-secret").encode()
DB = os.environ.get("DB", "/tmp/reference.sqlite3")

db = sqlite3.connect(DB, isolation_level=None, check_same_thread=False)
db.execute("PRAGMA journal_mode=WAL")
db.execute("PRAGMA synchronous=FULL")
db.execute("""CREATE TABLE IF NOT EXISTS webhook_logs (id TEXT PRIMARY KEY, integration_id TEXT, request_id TEXT,
    method TEXT, headers TEXT, payload TEXT, provider_event_id TEXT, created_at TEXT)""")
db.execute("""CREATE TABLE IF NOT EXISTS jobs (id TEXT PRIMARY KEY, integration_id TEXT, webhook_log_id TEXT,
    status TEXT, next_attempt_at TEXT, created_at TEXT)""")

app = FastAPI()


@app.post("/api/v1/webhook/{integration_id}")
async def receive(integration_id: str, request: Request):
    body = await request.body()
    given = request.headers.get("x-hub-signature-256", "")
    expected = "sha256=" + hmac.new(APP_SECRET, body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(given, expected):
        return JSONResponse({"error": "Unauthorized"}, status_code=401)
    payload = json.loads(body)
    try:
        wamid = payload["entry"][0]["changes"][0]["value"]["messages"][0]["id"]
    except (KeyError, IndexError):
        wamid = None
    request_id = str(uuid.uuid4())
    log_id = str(uuid.uuid4())
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    headers = json.dumps({k: v for k, v in request.headers.items() if k != "x-hub-signature-256"})
    db.execute("BEGIN IMMEDIATE")
    db.execute("INSERT INTO webhook_logs VALUES (?, ?, ?, 'POST', ?, ?, ?, ?)",
               (log_id, integration_id, request_id, headers, body.decode(), wamid, now))
    db.execute("INSERT INTO jobs VALUES (?, ?, ?, 'queued', ?, ?)", (str(uuid.uuid4()), integration_id, log_id, now, now))
    db.execute("COMMIT")
    return JSONResponse({"request_id": request_id}, status_code=202)
