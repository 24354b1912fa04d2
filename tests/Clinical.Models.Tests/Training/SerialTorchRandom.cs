namespace Clinical.Models.Tests.Training;

/// <summary>
/// Training reseeds libtorch's process-wide generator (dropout draws from it), so tests that compare
/// two training runs must not share the process with tests drawing random numbers in parallel.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialTorchRandom
{
    public const string Name = "libtorch global generator";
}
