using Clinical.DevTools.Checkpoints;
using Clinical.Models.Decoders.Llama;
using TorchSharp;

namespace Clinical.Models.Tests.Decoders.Llama;

/// <summary>Tiny random Llama checkpoints written once per test class into a temporary folder.</summary>
public sealed class TinyLlamaFolders : IDisposable
{
    public const ulong Seed = 20251123;

    private readonly string _root = Directory.CreateTempSubdirectory("tiny-llama-").FullName;

    public TinyLlamaFolders()
    {
        TinyLlamaCheckpoint.Write(GroupedQuery, TinyLlamaCheckpoint.GroupedQuery, Seed);
        TinyLlamaCheckpoint.Write(MultiHead, TinyLlamaCheckpoint.MultiHead, Seed);
        TinyLlamaCheckpoint.Write(Sharded, TinyLlamaCheckpoint.GroupedQuery, Seed, CheckpointLayout.Sharded);
        TinyLlamaCheckpoint.Write(BFloat16, TinyLlamaCheckpoint.GroupedQuery, Seed, dtype: torch.ScalarType.BFloat16);
    }

    public string GroupedQuery => Path.Combine(_root, "gqa");

    public string MultiHead => Path.Combine(_root, "mha");

    public string Sharded => Path.Combine(_root, "gqa-sharded");

    public string BFloat16 => Path.Combine(_root, "gqa-bf16");

    /// <summary>A fresh copy of the GQA checkpoint that a test may damage.</summary>
    public string CopyOfGroupedQuery()
    {
        var copy = Directory.CreateTempSubdirectory("tiny-llama-copy-").FullName;
        foreach (var file in Directory.EnumerateFiles(GroupedQuery))
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        return copy;
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
