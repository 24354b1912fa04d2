namespace Clinical.Fhir.Parsing;

/// <summary>Explicit limits so one huge or hostile input cannot exhaust the service.</summary>
public sealed record InputLimits
{
    public long MaxBytes { get; init; } = 32L * 1024 * 1024;

    public int MaxEntries { get; init; } = 50_000;

    public int MaxDepth { get; init; } = 64;

    public int MaxNoteCharacters { get; init; } = 200_000;

    public static InputLimits Default { get; } = new();
}
