-- The server registry: one row per monitored host. The ingest token is never stored, only its SHA-256.
CREATE TABLE servers (
  slug          text PRIMARY KEY CHECK (slug ~ '^[a-z0-9][a-z0-9_-]{0,63}$'),
  name          text        NOT NULL,
  hostname      text,
  token_prefix  text,
  token_hash    bytea,
  is_active     boolean     NOT NULL DEFAULT true,
  last_seen_at  timestamptz,
  last_ip       text,
  agent_version text,
  labels        jsonb       NOT NULL DEFAULT '{}'::jsonb,
  created_at    timestamptz NOT NULL DEFAULT now()
);

-- One derived snapshot per (server, ts). Host-level figures are typed columns (what charts and rollups read);
-- per-device sections (GPUs, disks, NICs, processes) ride in `detail` until the compact array layout lands.
CREATE TABLE snapshots (
  server          text        NOT NULL REFERENCES servers (slug) ON DELETE CASCADE,
  ts              timestamptz NOT NULL,
  boot_id         text        NOT NULL,
  seq             bigint      NOT NULL,
  interval_s      real,
  gap             boolean     NOT NULL DEFAULT false,
  cpu_util        real,
  cpu_iowait      real,
  cpu_steal       real,
  cpu_per_core    real[],
  load_avg        real[],
  ram_used        bigint,
  ram_total       bigint,
  swap_used       bigint,
  swap_total      bigint,
  disk_read_rate  real,
  disk_write_rate real,
  net_up_rate     real,
  net_down_rate   real,
  gpu_util_max    real,
  gpu_util_avg    real,
  gpu_mem_used    bigint,
  gpu_mem_total   bigint,
  bottleneck      text,
  detail          jsonb,
  CONSTRAINT snapshots_identity UNIQUE (server, boot_id, seq)
);
CREATE INDEX snapshots_server_ts ON snapshots (server, ts);
