using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace Clinical.Models.Runtime;

/// <summary>
/// A Hugging Face model folder: config.json plus model.safetensors, or shards listed in
/// model.safetensors.index.json ({"weight_map": {name: file}}). Pickle weights are refused:
/// unpickling executes code.
/// </summary>
public sealed class CheckpointFolder
{
    private readonly Dictionary<string, SafetensorsFile> _fileByTensor;

    private CheckpointFolder(string directory, Dictionary<string, SafetensorsFile> fileByTensor)
    {
        Directory = directory;
        _fileByTensor = fileByTensor;
    }

    public string Directory { get; }

    public string ConfigPath => System.IO.Path.Combine(Directory, "config.json");

    public IReadOnlyCollection<string> TensorNames => _fileByTensor.Keys;

    public SafetensorsEntry Entry(string name) => _fileByTensor[name].Entries[name];

    public static CheckpointFolder Open(string directory)
    {
        if (!System.IO.Directory.Exists(directory))
            throw new CheckpointException($"Model folder '{directory}' does not exist.");
        var single = System.IO.Path.Combine(directory, "model.safetensors");
        var index = System.IO.Path.Combine(directory, "model.safetensors.index.json");
        var map = new Dictionary<string, SafetensorsFile>(StringComparer.Ordinal);
        if (File.Exists(index))
        {
            using var json = JsonDocument.Parse(File.ReadAllText(index));
            var shards = new Dictionary<string, SafetensorsFile>(StringComparer.Ordinal);
            foreach (var weight in json.RootElement.GetProperty("weight_map").EnumerateObject())
            {
                var shardName = weight.Value.GetString()!;
                if (!shards.TryGetValue(shardName, out var shard))
                {
                    var shardPath = System.IO.Path.Combine(directory, shardName);
                    if (!File.Exists(shardPath))
                        throw new CheckpointException(
                            $"{index} maps '{weight.Name}' to shard '{shardName}', which is not in the folder."
                        );
                    shards[shardName] = shard = SafetensorsFile.Open(shardPath);
                }
                if (!shard.Entries.ContainsKey(weight.Name))
                    throw new CheckpointException(
                        $"{index} maps '{weight.Name}' to '{shardName}', but that shard has no such tensor."
                    );
                map[weight.Name] = shard;
            }
        }
        else if (File.Exists(single))
        {
            var file = SafetensorsFile.Open(single);
            foreach (var name in file.Entries.Keys)
                map[name] = file;
        }
        else
        {
            var pickles = System
                .IO.Directory.EnumerateFiles(directory)
                .Select(System.IO.Path.GetFileName)
                .Where(f =>
                    f is not null
                    && (
                        f.EndsWith(".bin", StringComparison.Ordinal)
                        || f.EndsWith(".pt", StringComparison.Ordinal)
                        || f.EndsWith(".pth", StringComparison.Ordinal)
                    )
                )
                .ToList();
            throw new CheckpointException(
                pickles.Count > 0
                    ? $"'{directory}' holds only pickle weights ({string.Join(", ", pickles)}). "
                        + "Pickle files can execute code and are not loaded. "
                        + "Use the model's safetensors revision (on the Hugging Face hub, "
                        + "the 'refs/pr/N' revision opened by the SFconvertbot, e.g. "
                        + "`huggingface-cli download MODEL --revision refs/pr/1`), "
                        + "or convert once in a trusted sandbox with transformers: "
                        + "`AutoModel.from_pretrained(dir).save_pretrained(out, safe_serialization=True)`."
                    : $"'{directory}' has no model.safetensors or model.safetensors.index.json."
            );
        }
        return new CheckpointFolder(directory, map);
    }

    /// <summary>Reads one tensor onto the CPU in its stored dtype.</summary>
    public Tensor Read(string name) =>
        _fileByTensor.TryGetValue(name, out var file)
            ? file.Read(name)
            : throw new CheckpointException($"{Directory}: the checkpoint has no tensor '{name}'.");

    /// <summary>
    /// Strict load, as transformers does it: every parameter and persistent buffer of the module
    /// must be in the checkpoint with the same shape, and every checkpoint tensor must be used,
    /// except names the architecture declares ignorable (e.g. an MLM head when loading a classifier).
    /// Tensors are converted to the module's dtype and device.
    /// </summary>
    public void LoadInto(nn.Module module, Func<string, bool>? ignoreUnexpected = null)
    {
        var expected = module.state_dict();
        var missing = expected
            .Keys.Where(k => !_fileByTensor.ContainsKey(k))
            .OrderBy(k => k, StringComparer.Ordinal)
            .ToList();
        if (missing.Count > 0)
            throw new CheckpointException(
                $"{Directory}: missing tensor{(missing.Count > 1 ? "s" : "")} "
                    + $"{string.Join(", ", missing.Take(10).Select(k => $"'{k}'"))}"
                    + $"{(missing.Count > 10 ? $" and {missing.Count - 10} more" : "")}."
            );
        var unexpected = _fileByTensor
            .Keys.Where(k => !expected.ContainsKey(k) && !(ignoreUnexpected?.Invoke(k) ?? false))
            .OrderBy(k => k, StringComparer.Ordinal)
            .ToList();
        if (unexpected.Count > 0)
            throw new CheckpointException(
                $"{Directory}: unexpected tensor{(unexpected.Count > 1 ? "s" : "")} "
                    + $"{string.Join(", ", unexpected.Take(10).Select(k => $"'{k}'"))}"
                    + $"{(unexpected.Count > 10 ? $" and {unexpected.Count - 10} more" : "")}"
                    + " (not part of this architecture)."
            );
        foreach (var (name, target) in expected)
        {
            var entry = Entry(name);
            if (!entry.Shape.SequenceEqual(target.shape))
                throw new CheckpointException(
                    $"{Directory}: tensor '{name}' has shape [{string.Join(", ", entry.Shape)}] but the model "
                        + $"expects [{string.Join(", ", target.shape)}]."
                );
        }
        using var noGrad = no_grad();
        foreach (var (name, target) in expected)
        {
            using var stored = Read(name);
            target.copy_(stored);
        }
    }

    /// <summary>
    /// Writes a module's weights as model.safetensors in a Hugging Face folder (config and tokenizer are the caller's).
    /// </summary>
    public static void Save(
        nn.Module module,
        string directory,
        ScalarType? dtype = null,
        IReadOnlyDictionary<string, string>? metadata = null
    )
    {
        System.IO.Directory.CreateDirectory(directory);
        using var scope = NewDisposeScope();
        var state = module
            .state_dict()
            .Select(kv =>
                KeyValuePair.Create(kv.Key, dtype is { } d && kv.Value.is_floating_point() ? kv.Value.to(d) : kv.Value)
            );
        SafetensorsWriter.Write(
            System.IO.Path.Combine(directory, "model.safetensors"),
            state,
            metadata ?? new Dictionary<string, string> { ["format"] = "pt" }
        );
    }
}

/// <summary>A checkpoint that cannot be loaded as asked; the message names the file and the tensor.</summary>
public sealed class CheckpointException(string message) : Exception(message);
