/// Renum's schema, as an ordered list of migrations.
///
/// Portable SQL only: TEXT ids holding lowercase UUID strings, TEXT timestamps in UTC ISO-8601
/// (`Timestamp`), INTEGER booleans 0/1 with CHECKs, TEXT JSON, BLOB ciphertext. No
/// AUTOINCREMENT or other SQLite-only syntax (the PostgreSQL backend maps BLOB to BYTEA).
public enum Schema {
    /// Every migration, oldest first.
    public static let migrations: [Migration] = [v1, v2, v3, v4]

    /// The product's seed tables.
    static let v1 = Migration(version: 1, name: "initial schema", sql: [
        """
        CREATE TABLE agents_registry (
            id TEXT PRIMARY KEY,
            agent_id TEXT NOT NULL,
            version TEXT NOT NULL,
            name TEXT NOT NULL,
            description TEXT,
            status TEXT NOT NULL DEFAULT 'draft'
                CHECK (status IN ('draft', 'staged', 'approved', 'deprecated')),
            manifest TEXT NOT NULL,
            artifact_sha256 TEXT,
            artifact_path TEXT,
            is_active INTEGER NOT NULL DEFAULT 0 CHECK (is_active IN (0, 1)),
            created_by TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (agent_id, version)
        )
        """,
        "CREATE INDEX agents_registry_status ON agents_registry (status, agent_id)",

        """
        CREATE TABLE integrations (
            id TEXT PRIMARY KEY,
            user_id TEXT NOT NULL,
            name TEXT NOT NULL,
            type TEXT NOT NULL
                CHECK (type IN ('whatsapp', 'telegram', 'zapier', 'n8n', 'make', 'generic')),
            status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive', 'error')),
            config TEXT NOT NULL DEFAULT '{}',
            token_hash TEXT,
            rate_limit_per_minute INTEGER NOT NULL DEFAULT 60 CHECK (rate_limit_per_minute > 0),
            last_used_at TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )
        """,
        "CREATE INDEX integrations_user_created ON integrations (user_id, created_at)",
        "CREATE UNIQUE INDEX integrations_token_hash ON integrations (token_hash)",

        """
        CREATE TABLE webhook_logs (
            id TEXT PRIMARY KEY,
            integration_id TEXT NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
            user_id TEXT NOT NULL,
            request_id TEXT,
            method TEXT NOT NULL,
            headers TEXT NOT NULL DEFAULT '{}',
            payload TEXT,
            status_code INTEGER,
            outcome TEXT NOT NULL,
            error_message TEXT,
            provider_event_id TEXT,
            response_time_ms INTEGER,
            created_at TEXT NOT NULL
        )
        """,
        "CREATE INDEX webhook_logs_user_created ON webhook_logs (user_id, created_at)",
        "CREATE INDEX webhook_logs_integration_created ON webhook_logs (integration_id, created_at)",
        "CREATE INDEX webhook_logs_provider_event ON webhook_logs (integration_id, provider_event_id)",

        """
        CREATE TABLE jobs (
            id TEXT PRIMARY KEY,
            integration_id TEXT NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
            user_id TEXT NOT NULL,
            webhook_log_id TEXT REFERENCES webhook_logs (id) ON DELETE SET NULL,
            status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'leased', 'done', 'dead')),
            attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
            max_attempts INTEGER NOT NULL DEFAULT 5 CHECK (max_attempts > 0),
            lease_expires_at TEXT,
            next_attempt_at TEXT NOT NULL,
            last_error TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )
        """,
        "CREATE INDEX jobs_ready ON jobs (status, next_attempt_at)",
        "CREATE INDEX jobs_user_created ON jobs (user_id, created_at)",

        """
        CREATE TABLE multi_agent_executions (
            id TEXT PRIMARY KEY,
            user_id TEXT NOT NULL,
            status TEXT NOT NULL
                CHECK (status IN ('pending', 'running', 'completed', 'failed', 'cancelled')),
            plan TEXT,
            input TEXT,
            result TEXT,
            error TEXT,
            started_at TEXT,
            completed_at TEXT,
            created_at TEXT NOT NULL
        )
        """,
        "CREATE INDEX multi_agent_executions_user_created ON multi_agent_executions (user_id, created_at)",

        """
        CREATE TABLE agent_execution_steps (
            id TEXT PRIMARY KEY,
            execution_id TEXT NOT NULL REFERENCES multi_agent_executions (id) ON DELETE CASCADE,
            user_id TEXT NOT NULL,
            agent_id TEXT NOT NULL,
            agent_version TEXT,
            capability TEXT,
            status TEXT NOT NULL
                CHECK (status IN ('pending', 'running', 'completed', 'failed', 'skipped')),
            input TEXT,
            output TEXT,
            error TEXT,
            metering TEXT,
            started_at TEXT,
            completed_at TEXT
        )
        """,
        "CREATE INDEX agent_execution_steps_execution ON agent_execution_steps (execution_id, started_at)",
        "CREATE INDEX agent_execution_steps_user ON agent_execution_steps (user_id, started_at)",

        """
        CREATE TABLE user_credentials (
            id TEXT PRIMARY KEY,
            user_id TEXT NOT NULL,
            service_type TEXT NOT NULL,
            service_name TEXT NOT NULL,
            ciphertext BLOB NOT NULL,
            key_version INTEGER NOT NULL,
            scopes TEXT NOT NULL DEFAULT '[]',
            status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'expired', 'revoked', 'invalid')),
            expires_at TEXT,
            last_validated_at TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (user_id, service_type, service_name)
        )
        """,
        "CREATE INDEX user_credentials_user_created ON user_credentials (user_id, created_at)",

        """
        CREATE TABLE feature_toggles (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            description TEXT,
            enabled INTEGER NOT NULL DEFAULT 0 CHECK (enabled IN (0, 1)),
            rollout_percentage INTEGER NOT NULL DEFAULT 100
                CHECK (rollout_percentage BETWEEN 0 AND 100),
            config TEXT NOT NULL DEFAULT '{}',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )
        """,

        """
        CREATE TABLE integration_analytics (
            id TEXT PRIMARY KEY,
            integration_id TEXT NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
            user_id TEXT NOT NULL,
            day TEXT NOT NULL CHECK (length(day) = 10),
            total INTEGER NOT NULL DEFAULT 0,
            successful INTEGER NOT NULL DEFAULT 0,
            failed INTEGER NOT NULL DEFAULT 0,
            total_response_time_ms INTEGER NOT NULL DEFAULT 0,
            cost REAL NOT NULL DEFAULT 0,
            UNIQUE (integration_id, day)
        )
        """,
        "CREATE INDEX integration_analytics_user_day ON integration_analytics (user_id, day)",

        """
        CREATE TABLE audit_log (
            id TEXT PRIMARY KEY,
            actor_id TEXT,
            action TEXT NOT NULL,
            target_type TEXT,
            target_id TEXT,
            details TEXT,
            created_at TEXT NOT NULL
        )
        """,
        "CREATE INDEX audit_log_actor_created ON audit_log (actor_id, created_at)",
        "CREATE INDEX audit_log_target ON audit_log (target_type, target_id)",
    ])
}
