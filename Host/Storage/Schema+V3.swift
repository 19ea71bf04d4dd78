/// Migration 3: what durable webhook ingestion needs beyond the seed's tables.
extension Schema {
    static let v3 = Migration(version: 3, name: "webhook ingestion: sealed secrets, idempotency, job leases", sql: [
        // The integration's secret config fields (app_secret, bot_token, …) as one vault-sealed
        // JSON object; `config` keeps only what may be shown.
        "ALTER TABLE integrations ADD COLUMN sealed_secrets BLOB",
        // Their names, never their values: what the API shows instead (`secret_fields`).
        "ALTER TABLE integrations ADD COLUMN secret_fields TEXT NOT NULL DEFAULT '[]'",
        // Dead jobs in a row; the integration turns to `error` at the configured threshold.
        "ALTER TABLE integrations ADD COLUMN consecutive_failures INTEGER NOT NULL DEFAULT 0",
        // The raw body as received, vault-sealed (purpose webhook_body), for replay and processing.
        "ALTER TABLE webhook_logs ADD COLUMN sealed_body BLOB",
        // Every provider id of the delivery (JSON array); provider_event_id keeps the first.
        "ALTER TABLE webhook_logs ADD COLUMN provider_ids TEXT NOT NULL DEFAULT '[]'",
        // The Standard Webhooks `webhook-id`, which normalisation of generic payloads needs.
        "ALTER TABLE webhook_logs ADD COLUMN webhook_id TEXT",
        "CREATE INDEX webhook_logs_request ON webhook_logs (request_id)",
        "ALTER TABLE jobs ADD COLUMN request_id TEXT",
        "ALTER TABLE jobs ADD COLUMN completed_at TEXT",
        // Analytics bookkeeping: the day a job's request was counted on and whether as a success,
        // so that a replayed job moves its count instead of adding a second one.
        "ALTER TABLE jobs ADD COLUMN counted_day TEXT",
        "ALTER TABLE jobs ADD COLUMN counted_success INTEGER CHECK (counted_success IN (0, 1))",
        "CREATE INDEX jobs_lease ON jobs (status, lease_expires_at)",
        "CREATE INDEX jobs_log ON jobs (webhook_log_id)",
        "CREATE INDEX jobs_integration_status ON jobs (integration_id, status)",
        // One row per (integration, provider id or Idempotency-Key): the UNIQUE key is what stops a
        // concurrent duplicate, whatever the application checked before.
        """
        CREATE TABLE webhook_idempotency (
            integration_id TEXT NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
            idempotency_key TEXT NOT NULL,
            request_id TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (integration_id, idempotency_key)
        )
        """,
        "CREATE INDEX webhook_idempotency_created ON webhook_idempotency (created_at)",
    ])
}
