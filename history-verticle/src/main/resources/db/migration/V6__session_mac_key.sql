-- The key the gateway nodes MAC session entries with (docs/security.md): made once, by whichever history node is asked
-- first (INSERT … ON CONFLICT DO NOTHING), and handed only over the event bus, which a TLS cluster keeps to its own
-- nodes. The cluster's shared maps, which any Hazelcast member can write, hold entries; this table holds what makes
-- an entry ours.
CREATE TABLE access_secrets (
  name       text        PRIMARY KEY CHECK (name ~ '^[a-z_]{1,32}$'),
  secret     bytea       NOT NULL CHECK (octet_length(secret) = 32),
  created_at timestamptz NOT NULL DEFAULT now()
);
