-- Access control (docs/security.md). Secrets are never stored, only their SHA-256; a token's printable prefix
-- (twa_1a2b3c4d) is its id and is never accepted as a credential.

-- API tokens for scripts and Prometheus. Revoked rows stay (who made what, and when it ended) but never match.
CREATE TABLE api_tokens (
  id           text        PRIMARY KEY CHECK (id ~ '^twa_[0-9a-f]{8}$'),
  name         text        NOT NULL CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$'),
  role         text        NOT NULL CHECK (role IN ('reader', 'user', 'admin')),
  token_hash   bytea       NOT NULL UNIQUE,
  created_at   timestamptz NOT NULL DEFAULT now(),
  created_by   text        NOT NULL,
  last_used_at timestamptz,
  revoked_at   timestamptz
);
-- One live token per name, so "revoke the token called prometheus" is never ambiguous.
CREATE UNIQUE INDEX api_tokens_live_name ON api_tokens (name) WHERE revoked_at IS NULL;

-- One-time login tokens (local mode): spent by an UPDATE that only one request can win, on any node.
CREATE TABLE login_tokens (
  token_hash bytea       PRIMARY KEY,
  expires_at timestamptz NOT NULL,
  used_at    timestamptz
);
