using Clinical.Api.Features.Cohorts.Cluster;
using Clinical.Api.Tests.Persistence;
using Npgsql;

namespace Clinical.Api.Tests.Features.Cohorts.Cluster;

/// <summary>
/// Applying the cohort cluster's schema to a new PostgreSQL database: at once from several silos, again, and over
/// query texts that are not ours. Needs CLINICAL_TEST_POSTGRES.
/// </summary>
public sealed class OrleansSchemaTests
{
    [PostgresFact]
    public async Task Given_an_empty_database_When_silos_apply_the_schema_at_once_Then_it_is_made_once()
    {
        await using var database = await ScratchDatabase.CreateAsync("orleans_schema");

        var changes = await Task.WhenAll(
            Enumerable.Range(0, 6).Select(_ => OrleansSchema.ApplyAsync(database.ConnectionString, default))
        );
        var again = await OrleansSchema.ApplyAsync(database.ConnectionString, default);

        Assert.Equal(1, changes.Count(c => c.TablesCreated));
        Assert.Equal(OrleansQueries.All.Count(), changes.Sum(c => c.QueriesWritten));
        Assert.Equal(new OrleansSchemaChanges(TablesCreated: false, QueriesWritten: 0), again);
        Assert.Equal(
            OrleansQueries.All.ToDictionary(q => q.Key, q => q.Value),
            await StoredQueriesAsync(database.ConnectionString)
        );
        foreach (var table in OrleansSchema.Tables)
            Assert.Equal(1, await database.ScalarAsync($"SELECT count(*) FROM pg_tables WHERE tablename = '{table}'"));
    }

    [PostgresFact]
    public async Task Given_other_query_texts_in_OrleansQuery_When_the_schema_is_applied_Then_ours_replace_them()
    {
        await using var database = await ScratchDatabase.CreateAsync("orleans_schema");
        await OrleansSchema.ApplyAsync(database.ConnectionString, default);
        await database.ScalarAsync(
            "UPDATE OrleansQuery SET QueryText = 'SELECT 1' WHERE QueryKey = 'WriteToStorageKey'; SELECT 0"
        );

        var changes = await OrleansSchema.ApplyAsync(database.ConnectionString, default);

        Assert.Equal(new OrleansSchemaChanges(TablesCreated: false, QueriesWritten: 1), changes);
        var stored = await StoredQueriesAsync(database.ConnectionString);
        Assert.Equal(OrleansQueries.GrainStorage["WriteToStorageKey"], stored["WriteToStorageKey"]);
    }

    private static async Task<Dictionary<string, string>> StoredQueriesAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT QueryKey, QueryText FROM OrleansQuery", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var stored = new Dictionary<string, string>();
        while (await reader.ReadAsync())
            stored[reader.GetString(0)] = reader.GetString(1);
        return stored;
    }
}
