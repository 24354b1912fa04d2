namespace Clinical.Fuzz;

/// <summary>Every fuzz target, by name. A new one is a class under Targets/ with its FuzzTarget, added here.</summary>
public static class FuzzTargets
{
    public static IReadOnlyList<FuzzTarget> All { get; } =
    [Targets.JwtTarget.Target, Targets.FhirReaderTarget.Target, Targets.BulkReaderTarget.Target];

    public static FuzzTarget? Find(string name) => All.FirstOrDefault(t => t.Name == name);
}
