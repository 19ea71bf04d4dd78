/// Migration 2: what the plugin registry and runtime need beyond the seed's tables.
extension Schema {
    static let v2 = Migration(version: 2, name: "registry lifecycle and invocation metering", sql: [
        // A staged version serves admins and a canary: {"tenants": [uuid…], "percentage": 0…100}.
        "ALTER TABLE agents_registry ADD COLUMN canary TEXT NOT NULL DEFAULT '{}'",
        "ALTER TABLE agents_registry ADD COLUMN artifact_size INTEGER",
        // The names (never the values) of a credential's secret fields, so the API can say what is stored.
        "ALTER TABLE user_credentials ADD COLUMN field_names TEXT NOT NULL DEFAULT '[]'",
        // Bundled plugins shipped with renum, seeded at start.
        "ALTER TABLE agents_registry ADD COLUMN first_party INTEGER NOT NULL DEFAULT 0 CHECK (first_party IN (0, 1))",
        // Only one version of an agent is active; partial unique indexes exist in SQLite and PostgreSQL alike.
        "CREATE UNIQUE INDEX agents_registry_one_active ON agents_registry (agent_id) WHERE is_active = 1",
        """
        CREATE TABLE plugin_invocations (
            id TEXT PRIMARY KEY,
            user_id TEXT,
            agent_id TEXT NOT NULL,
            agent_version TEXT NOT NULL,
            capability TEXT NOT NULL,
            request_id TEXT,
            outcome TEXT NOT NULL,
            wall_ns INTEGER NOT NULL,
            cpu_ns INTEGER NOT NULL,
            egress_requests INTEGER NOT NULL,
            egress_bytes_out INTEGER NOT NULL,
            egress_bytes_in INTEGER NOT NULL,
            host_calls INTEGER NOT NULL,
            units TEXT NOT NULL DEFAULT '{}',
            cost REAL NOT NULL,
            peak_memory_bytes INTEGER,
            created_at TEXT NOT NULL
        )
        """,
        "CREATE INDEX plugin_invocations_user ON plugin_invocations (user_id, created_at)",
        "CREATE INDEX plugin_invocations_agent ON plugin_invocations (agent_id, agent_version, created_at)",
    ])
}
