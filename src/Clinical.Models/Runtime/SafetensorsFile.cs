using System.Text;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace Clinical.Models.Runtime;

/// <summary>One tensor's entry in a safetensors header: dtype, shape and byte range after the header.</summary>
public sealed record SafetensorsEntry(string Name, string DType, long[] Shape, long Begin, long End);

/// <summary>
/// Reader for the safetensors format (huggingface/safetensors): an 8-byte little-endian
/// header length N, N bytes of JSON {name: {dtype, shape, data_offsets}, "__metadata__": {...}},
/// then raw little-endian C-order bytes with offsets relative to the end of the header.
/// Tensors are read one at a time, so a file larger than memory can be loaded piecewise.
/// </summary>
public sealed class SafetensorsFile
{
    private const long MaxHeaderBytes = 100L * 1024 * 1024;
    private const long ChunkBytes = 256L * 1024 * 1024;

    private readonly long _dataStart;

    private SafetensorsFile(
        string path,
        long dataStart,
        Dictionary<string, SafetensorsEntry> entries,
        Dictionary<string, string> metadata
    )
    {
        Path = path;
        _dataStart = dataStart;
        Entries = entries;
        Metadata = metadata;
    }

    public string Path { get; }

    public IReadOnlyDictionary<string, SafetensorsEntry> Entries { get; }

    public IReadOnlyDictionary<string, string> Metadata { get; }

    public static SafetensorsFile Open(string path)
    {
        using var stream = File.OpenRead(path);
        Span<byte> lengthBytes = stackalloc byte[8];
        if (stream.Read(lengthBytes) != 8)
            throw new InvalidDataException($"{path}: not a safetensors file (shorter than its 8-byte header length).");
        var headerLength = BitConverter.ToInt64(lengthBytes);
        if (headerLength <= 0 || headerLength > MaxHeaderBytes || headerLength > stream.Length - 8)
            throw new InvalidDataException(
                $"{path}: not a safetensors file "
                    + $"(header length {headerLength} is impossible for a {stream.Length}-byte file)."
            );

        var header = new byte[headerLength];
        stream.ReadExactly(header);
        var dataLength = stream.Length - 8 - headerLength;
        var entries = new Dictionary<string, SafetensorsEntry>(StringComparer.Ordinal);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        using var json = JsonDocument.Parse(header);
        foreach (var property in json.RootElement.EnumerateObject())
        {
            if (property.Name == "__metadata__")
            {
                foreach (var m in property.Value.EnumerateObject())
                    metadata[m.Name] = m.Value.GetString() ?? "";
                continue;
            }
            var dtype = property.Value.GetProperty("dtype").GetString()!;
            var shape = property.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            var offsets = property
                .Value.GetProperty("data_offsets")
                .EnumerateArray()
                .Select(d => d.GetInt64())
                .ToArray();
            var entry = new SafetensorsEntry(property.Name, dtype, shape, offsets[0], offsets[1]);
            var expected =
                shape.Aggregate(1L, (a, b) => a * b) * SafetensorsDType.ElementSize(dtype, path, property.Name);
            if (offsets.Length != 2 || entry.End - entry.Begin != expected || entry.Begin < 0 || entry.End > dataLength)
                throw new InvalidDataException(
                    $"{path}: tensor '{property.Name}' has data_offsets [{string.Join(", ", offsets)}] "
                        + $"that do not match its {dtype} shape [{string.Join(", ", shape)}] within "
                        + $"{dataLength} data bytes."
                );
            entries[property.Name] = entry;
        }
        return new SafetensorsFile(path, 8 + headerLength, entries, metadata);
    }

    /// <summary>Reads one tensor in its stored dtype onto the CPU. The caller owns (disposes) it.</summary>
    public Tensor Read(string name)
    {
        if (!Entries.TryGetValue(name, out var entry))
            throw new KeyNotFoundException($"{Path}: no tensor named '{name}'.");

        var dtype = SafetensorsDType.ToTorch(entry.DType, Path, name);
        var tensor = empty(entry.Shape, dtype);
        using var stream = File.OpenRead(Path);
        stream.Position = _dataStart + entry.Begin;
        var totalBytes = entry.End - entry.Begin;
        if (totalBytes == 0)
            return tensor;
        if (totalBytes <= ChunkBytes || entry.Shape.Length == 0)
        {
            var buffer = new byte[totalBytes];
            stream.ReadExactly(buffer);
            tensor.bytes = buffer;
            return tensor;
        }

        // Larger than one chunk (e.g. a 256000 x 8192 bf16 embedding): fill row blocks.
        var rowBytes = totalBytes / entry.Shape[0];
        var rowsPerChunk = Math.Max(1, ChunkBytes / rowBytes);
        for (long row = 0; row < entry.Shape[0]; row += rowsPerChunk)
        {
            var rows = Math.Min(rowsPerChunk, entry.Shape[0] - row);
            var chunkShape = entry.Shape.ToArray();
            chunkShape[0] = rows;
            using var chunk = empty(chunkShape, dtype);
            var buffer = new byte[rows * rowBytes];
            stream.ReadExactly(buffer);
            chunk.bytes = buffer;
            tensor.narrow(0, row, rows).copy_(chunk);
        }
        return tensor;
    }
}

/// <summary>Writes tensors in the safetensors layout, readable by huggingface/safetensors and transformers.</summary>
public static class SafetensorsWriter
{
    public static void Write(
        string path,
        IEnumerable<KeyValuePair<string, Tensor>> tensors,
        IReadOnlyDictionary<string, string>? metadata = null
    )
    {
        var ordered = tensors.OrderBy(t => t.Key, StringComparer.Ordinal).ToList();
        var header = new Dictionary<string, object>(StringComparer.Ordinal);
        if (metadata is { Count: > 0 })
            header["__metadata__"] = metadata;
        long offset = 0;
        foreach (var (name, tensor) in ordered)
        {
            var size = tensor.NumberOfElements * tensor.ElementSize;
            header[name] = new
            {
                dtype = SafetensorsDType.FromTorch(tensor.dtype, name),
                shape = tensor.shape,
                data_offsets = new[] { offset, offset + size },
            };
            offset += size;
        }

        var headerBytes = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
        var padding = (8 - headerBytes.Length % 8) % 8; // the reference writer aligns data to 8 bytes with spaces
        using var stream = File.Create(path);
        stream.Write(BitConverter.GetBytes((long)(headerBytes.Length + padding)));
        stream.Write(headerBytes);
        for (var i = 0; i < padding; i++)
            stream.WriteByte((byte)' ');
        foreach (var (_, tensor) in ordered)
        {
            using var scope = NewDisposeScope();
            var cpu = tensor.detach().cpu().contiguous();
            WriteContiguous(stream, cpu);
        }
    }

    private static void WriteContiguous(Stream stream, Tensor cpu)
    {
        if (cpu.NumberOfElements == 0)
            return;
        if (cpu.NumberOfElements * cpu.ElementSize <= int.MaxValue / 2 || cpu.dim() == 0)
        {
            stream.Write(cpu.bytes);
            return;
        }
        var rows = cpu.shape[0];
        var rowsPerChunk = Math.Max(1, (int.MaxValue / 2) / (cpu.NumberOfElements / rows * cpu.ElementSize));
        for (long row = 0; row < rows; row += rowsPerChunk)
        {
            using var block = cpu.narrow(0, row, Math.Min(rowsPerChunk, rows - row)).contiguous();
            stream.Write(block.bytes);
        }
    }
}

internal static class SafetensorsDType
{
    public static ScalarType ToTorch(string dtype, string path, string name) =>
        dtype switch
        {
            "F32" => ScalarType.Float32,
            "F16" => ScalarType.Float16,
            "BF16" => ScalarType.BFloat16,
            "F64" => ScalarType.Float64,
            "I64" => ScalarType.Int64,
            "I32" => ScalarType.Int32,
            "I16" => ScalarType.Int16,
            "I8" => ScalarType.Int8,
            "U8" => ScalarType.Byte,
            "BOOL" => ScalarType.Bool,
            _ => throw Unsupported(dtype, path, name),
        };

    public static string FromTorch(ScalarType dtype, string name) =>
        dtype switch
        {
            ScalarType.Float32 => "F32",
            ScalarType.Float16 => "F16",
            ScalarType.BFloat16 => "BF16",
            ScalarType.Float64 => "F64",
            ScalarType.Int64 => "I64",
            ScalarType.Int32 => "I32",
            ScalarType.Int16 => "I16",
            ScalarType.Int8 => "I8",
            ScalarType.Byte => "U8",
            ScalarType.Bool => "BOOL",
            _ => throw new NotSupportedException($"Tensor '{name}' has dtype {dtype}, which safetensors cannot store."),
        };

    public static long ElementSize(string dtype, string path, string name) =>
        dtype switch
        {
            "F64" or "I64" => 8,
            "F32" or "I32" => 4,
            "F16" or "BF16" or "I16" => 2,
            "I8" or "U8" or "BOOL" => 1,
            _ => throw Unsupported(dtype, path, name),
        };

    private static InvalidDataException Unsupported(string dtype, string path, string name) =>
        new(
            $"{path}: tensor '{name}' has dtype {dtype}, which this reader does not support "
                + "(F32, F16, BF16, F64, I64, I32, I16, I8, U8, BOOL)."
        );
}
