-- Alerts (issue 14, docs/alerts.md). One row per alert: a (rule, server, GPU) episode from pending to resolved. The
-- evaluator writes each change as an upsert of the whole row by id, so a write lost to a Postgres outage is repaired
-- by the next one; gpu_index -1 is a server-wide alert (a unique index cannot see NULLs as equal).
CREATE TABLE alerts (
  id              text             PRIMARY KEY,
  rule            text             NOT NULL,
  severity        text             NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
  server          text             NOT NULL,
  gpu_index       integer          NOT NULL DEFAULT -1,
  state           text             NOT NULL CHECK (state IN ('pending', 'firing', 'resolved')),
  resolve         text             NOT NULL DEFAULT 'auto' CHECK (resolve IN ('auto', 'ack')),
  value           jsonb,
  threshold       jsonb,
  message         text             NOT NULL,
  started_at      timestamptz      NOT NULL,
  fired_at        timestamptz,
  resolved_at     timestamptz,
  acknowledged_by text,
  acknowledged_at timestamptz,
  updated_at      timestamptz      NOT NULL DEFAULT now()
);
-- At most one open alert per (rule, server, GPU): the de-duplication the lifecycle promises, enforced by Postgres.
CREATE UNIQUE INDEX alerts_open_key ON alerts (rule, server, gpu_index) WHERE state <> 'resolved';
CREATE INDEX alerts_server_started ON alerts (server, started_at DESC);
CREATE INDEX alerts_resolved_at ON alerts (resolved_at DESC);

-- Rules made by admins through the API; config and built-in rules are not stored (they come with each start).
CREATE TABLE alert_rules (
  name       text        PRIMARY KEY CHECK (name ~ '^[a-z0-9][a-z0-9_-]{0,63}$'),
  definition jsonb       NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by text        NOT NULL
);

-- Notifications that failed every attempt: kept for the admin to see (GET /api/alerts/dead-letters) and resend.
CREATE TABLE alert_dead_letters (
  id         bigserial   PRIMARY KEY,
  alert_id   text        NOT NULL,
  channel    text        NOT NULL CHECK (channel IN ('webhook', 'email')),
  payload    text        NOT NULL,
  attempts   integer     NOT NULL,
  last_error text        NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX alert_dead_letters_created ON alert_dead_letters (created_at DESC);

-- XID events as the driver reported them, whatever the alert rules say: a GPU's XID 79 must be on record after the
-- one live sample that carried it. Written by the history writer in the snapshot's own transaction.
CREATE TABLE xid_events (
  server    text        NOT NULL,
  gpu_index integer     NOT NULL,
  gpu_uuid  text,
  xid       bigint      NOT NULL,
  ts        timestamptz NOT NULL,
  boot      bigint      NOT NULL,
  seq       bigint      NOT NULL,
  PRIMARY KEY (server, gpu_index, ts, xid)
);
