/// Migration 4: less write amplification on the ingestion path.
///
/// Every index is one more B-tree page dirtied (and written to the WAL) per delivery. Nothing
/// queries webhook logs by request id or provider id (duplicates are found through
/// `webhook_idempotency`), nor logs or jobs by user alone (every query names the integration
/// too, and those indexes serve it), so those four indexes go. The idempotency table becomes
/// WITHOUT ROWID: its primary key is what it is searched by, and one B-tree is written, not two.
extension Schema {
    static let v4 = Migration(version: 4, name: "ingestion write path: fewer indexes", sql: [
        "DROP INDEX webhook_logs_provider_event",
        "DROP INDEX webhook_logs_request",
        "DROP INDEX webhook_logs_user_created",
        "DROP INDEX jobs_user_created",
        """
        CREATE TABLE webhook_idempotency_v4 (
            integration_id TEXT NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
            idempotency_key TEXT NOT NULL,
            request_id TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (integration_id, idempotency_key)
        ) WITHOUT ROWID
        """,
        "INSERT INTO webhook_idempotency_v4 SELECT integration_id, idempotency_key, request_id, created_at FROM webhook_idempotency",
        "DROP TABLE webhook_idempotency",
        "ALTER TABLE webhook_idempotency_v4 RENAME TO webhook_idempotency",
        "CREATE INDEX webhook_idempotency_created ON webhook_idempotency (created_at)",
    ])
}
