-- The tables behind the cohort cluster's Orleans ADO.NET providers on PostgreSQL: membership (clustering) and the
-- shard grains' state (grain storage). Our own design, written for this product; the providers only run the query
-- texts kept in OrleansQuery (OrleansQueries.cs), which OrleansSchema writes there. Every silo applies this file at
-- start when a table is missing (OrleansSchema.ApplyAsync, under an advisory lock), so it must stay idempotent; it
-- can also be run by hand (psql -f) by a role that may create tables, for silos whose role may not.

-- The one table whose name and columns the providers fix: they read every (QueryKey, QueryText) pair at start.
CREATE TABLE IF NOT EXISTS OrleansQuery (
    QueryKey varchar(64) PRIMARY KEY,
    QueryText text NOT NULL
);

-- One row per cluster: the version of its membership table. Every membership change (a silo joining, a status or
-- suspicion change) must advance it from the value the writer last read, which is how Orleans detects two silos
-- changing membership at once (IMembershipTable's TableVersion).
CREATE TABLE IF NOT EXISTS orleans_membership_version (
    cluster_id text PRIMARY KEY,
    version integer NOT NULL DEFAULT 0,
    changed_at timestamptz NOT NULL DEFAULT now()
);

-- One row per silo incarnation (address, port and generation: a restarted silo is a new row).
-- status: Orleans' SiloStatus (3 Active, 6 Dead); suspect_times: the provider's own "silo,time|silo,time" text.
CREATE TABLE IF NOT EXISTS orleans_membership (
    cluster_id text NOT NULL REFERENCES orleans_membership_version (cluster_id) ON DELETE CASCADE,
    address text NOT NULL,
    port integer NOT NULL,
    generation integer NOT NULL,
    silo_name text NOT NULL,
    host_name text NOT NULL,
    status integer NOT NULL,
    proxy_port integer NOT NULL,
    suspect_times text,
    start_time timestamptz NOT NULL,
    i_am_alive_time timestamptz NOT NULL,
    PRIMARY KEY (cluster_id, address, port, generation)
);

-- One row per grain with persisted state. grain_id is built by the queries from the provider's key parameters as
-- "N0/N1" plus "+extension" when the key has one, so a key without an extension and one with an empty extension
-- stay apart. version is the grain state's ETag: a write must name the version it read; payload is NULL once the
-- state is cleared (the version stays, so a later write still has to name it).
CREATE TABLE IF NOT EXISTS orleans_grain_state (
    service_id text NOT NULL,
    grain_type text NOT NULL,
    grain_id text NOT NULL,
    version integer NOT NULL,
    payload bytea,
    modified_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (service_id, grain_type, grain_id)
);
