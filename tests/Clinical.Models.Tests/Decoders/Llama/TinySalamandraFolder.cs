using Clinical.DevTools.Checkpoints;
using Clinical.Models.Decoders.Llama;

namespace Clinical.Models.Tests.Decoders.Llama;

/// <summary>
/// A tiny random Salamandra-like folder (tokenizer.model + tokenizer_config.json + checkpoint), written once per test
/// class.
/// </summary>
public sealed class TinySalamandraFolder : IDisposable
{
    public const ulong Seed = 20251123;

    public TinySalamandraFolder()
    {
        Path = Directory.CreateTempSubdirectory("tiny-salamandra-").FullName;
        Config = TinySalamandra.Write(Path, Seed);
    }

    public string Path { get; }

    public LlamaConfig Config { get; }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
