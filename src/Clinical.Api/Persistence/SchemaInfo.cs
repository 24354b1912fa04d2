namespace Clinical.Api.Persistence;

/// <summary>One row: the schema version the database was created with.</summary>
public sealed class SchemaInfo
{
    public int Id { get; set; }

    public int Version { get; set; }
}
