namespace Clinical.Api.Features.Cohorts.Cluster;

/// <summary>
/// The SQL the Orleans 10.4 ADO.NET providers run on our tables (OrleansSchema.sql), stored in OrleansQuery under the
/// keys they look up. The contract, read from the providers (Orleans.Clustering.AdoNet: AdoNetClusteringTable,
/// RelationalOrleansQueries, DbStoredQueries; Orleans.Persistence.AdoNet: AdoNetGrainStorage): they bind parameters by
/// name (<c>@DeploymentId</c> is the cluster id), read result columns by name and read every result set, so each
/// text here is one statement whose answer is the only one. The clustering provider refuses to start unless all nine
/// of its keys are present; its optional CleanupDefunctSiloEntryKey (one dead silo at a time) is left out, so it runs
/// CleanupDefunctSiloEntriesKey. Grain storage needs its three (DeleteStorageKey only with DeleteStateOnClear, unused).
/// Reminders, streams and the ADO.NET grain directory are not used by the product, so their keys are not here.
/// </summary>
public static class OrleansQueries
{
    /// <summary>The membership table as the provider reads it, under the column names it asks the reader for.</summary>
    private const string MembershipColumns = """
        SELECT v.version AS Version, m.address AS Address, m.port AS Port, m.generation AS Generation,
            m.silo_name AS SiloName, m.host_name AS HostName, m.status AS Status, m.proxy_port AS ProxyPort,
            m.suspect_times AS SuspectTimes, m.start_time AS StartTime, m.i_am_alive_time AS IAmAliveTime
        FROM orleans_membership_version v
        """;

    /// <summary>
    /// The cluster's version row, locked, and only while it still holds the version the writer read (<c>@Version</c>:
    /// the provider passes the version it read, not the next one). Under READ COMMITTED a writer that waited on the
    /// lock re-reads the row and finds the version advanced, so of two writers that read one version only one wins.
    /// </summary>
    private const string ExpectedVersion = """
        WITH expected AS (
            SELECT cluster_id FROM orleans_membership_version
            WHERE cluster_id = @DeploymentId AND version = @Version
            FOR UPDATE
        )
        """;

    /// <summary>Advances the version once the change (<c>changed</c>) was made, and answers whether it was.</summary>
    private const string AdvanceVersion = """
        , advanced AS (
            UPDATE orleans_membership_version v SET version = v.version + 1, changed_at = now()
            FROM changed c WHERE v.cluster_id = c.cluster_id
            RETURNING v.cluster_id
        )
        SELECT count(*) = 1 FROM advanced
        """;

    /// <summary>
    /// Clustering. Membership reads answer at least one row (the version, even with no silo); a silo row is there
    /// when StartTime is not null. Inserts and updates answer one boolean: true only when the version matched and the
    /// row was written, in which case the version advanced; false changes nothing.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Clustering = new Dictionary<string, string>(
        StringComparer.Ordinal
    )
    {
        ["InsertMembershipVersionKey"] = """
            WITH created AS (
                INSERT INTO orleans_membership_version (cluster_id) VALUES (@DeploymentId)
                ON CONFLICT (cluster_id) DO NOTHING
                RETURNING cluster_id
            )
            SELECT count(*) = 1 FROM created
            """,
        ["MembershipReadAllKey"] = $"""
            {MembershipColumns}
            LEFT JOIN orleans_membership m ON m.cluster_id = v.cluster_id
            WHERE v.cluster_id = @DeploymentId
            """,
        ["MembershipReadRowKey"] = $"""
            {MembershipColumns}
            LEFT JOIN orleans_membership m ON m.cluster_id = v.cluster_id
                AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
            WHERE v.cluster_id = @DeploymentId
            """,
        // A silo already in the table (same address, port and generation) is refused like a stale version.
        ["InsertMembershipKey"] = $"""
            {ExpectedVersion}
            , changed AS (
                INSERT INTO orleans_membership (cluster_id, address, port, generation, silo_name, host_name, status,
                    proxy_port, start_time, i_am_alive_time)
                SELECT cluster_id, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort,
                    @StartTime, @IAmAliveTime
                FROM expected
                ON CONFLICT DO NOTHING
                RETURNING cluster_id
            )
            {AdvanceVersion}
            """,
        ["UpdateMembershipKey"] = $"""
            {ExpectedVersion}
            , changed AS (
                UPDATE orleans_membership m
                SET status = @Status, suspect_times = @SuspectTimes, i_am_alive_time = @IAmAliveTime
                FROM expected e
                WHERE m.cluster_id = e.cluster_id
                    AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
                RETURNING m.cluster_id
            )
            {AdvanceVersion}
            """,
        // The heartbeat: no version check and no new version (Orleans' contract for UpdateIAmAlive).
        ["UpdateIAmAlivetimeKey"] = """
            UPDATE orleans_membership SET i_am_alive_time = @IAmAliveTime
            WHERE cluster_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation
            """,
        // @Status is SiloStatus.Active; a silo without a gateway has proxy port 0.
        ["GatewaysQueryKey"] = """
            SELECT address AS Address, proxy_port AS ProxyPort, generation AS Generation
            FROM orleans_membership
            WHERE cluster_id = @DeploymentId AND status = @Status AND proxy_port > 0
            """,
        // The silo rows go with the version row (ON DELETE CASCADE).
        ["DeleteMembershipTableEntriesKey"] = """
            DELETE FROM orleans_membership_version WHERE cluster_id = @DeploymentId
            """,
        // Dead silos (SiloStatus.Dead = 6) last heard of before @IAmAliveTime.
        ["CleanupDefunctSiloEntriesKey"] = """
            DELETE FROM orleans_membership
            WHERE cluster_id = @DeploymentId AND status = 6 AND i_am_alive_time < @IAmAliveTime
            """,
    };

    /// <summary>
    /// The grain's row from the provider's key parameters (see grain_id in OrleansSchema.sql). The hashes the
    /// provider also binds (@GrainIdHash, @GrainTypeHash) are not needed: the primary key finds the row.
    /// </summary>
    private const string GrainRow =
        $"service_id = @ServiceId AND grain_type = @GrainTypeString AND grain_id = {GrainId}";

    private const string GrainId = "concat(@GrainIdN0, '/', @GrainIdN1, '+' || @GrainIdExtensionString)";

    /// <summary>
    /// Grain storage. A read answers at most one row (PayloadBinary, Version). A write names the version it read
    /// (<c>@GrainStateVersion</c>, null for a grain never written) and answers one row: the new version, or NULL when
    /// the named version is not the stored one (or a first write finds a row already there), which the provider turns
    /// into an InconsistentStateException. Clear keeps the row with no payload and a new version, under the same check.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> GrainStorage = new Dictionary<string, string>(
        StringComparer.Ordinal
    )
    {
        ["ReadFromStorageKey"] = $"""
            SELECT payload AS PayloadBinary, version AS Version
            FROM orleans_grain_state
            WHERE {GrainRow}
            """,
        ["WriteToStorageKey"] = $"""
            WITH inserted AS (
                INSERT INTO orleans_grain_state (service_id, grain_type, grain_id, version, payload)
                SELECT @ServiceId, @GrainTypeString, {GrainId}, 1, @PayloadBinary
                WHERE @GrainStateVersion IS NULL
                ON CONFLICT DO NOTHING
                RETURNING version
            ), updated AS (
                UPDATE orleans_grain_state SET version = version + 1, payload = @PayloadBinary, modified_at = now()
                WHERE {GrainRow} AND version = @GrainStateVersion
                RETURNING version
            )
            SELECT (SELECT version FROM inserted UNION ALL SELECT version FROM updated) AS NewGrainStateVersion
            """,
        ["ClearStorageKey"] = $"""
            WITH cleared AS (
                UPDATE orleans_grain_state SET version = version + 1, payload = NULL, modified_at = now()
                WHERE {GrainRow} AND version = @GrainStateVersion
                RETURNING version
            )
            SELECT (SELECT version FROM cleared) AS NewGrainStateVersion
            """,
    };

    /// <summary>Every query the cluster's providers read, by key.</summary>
    public static IEnumerable<KeyValuePair<string, string>> All => Clustering.Concat(GrainStorage);
}
