using Clinical.Models.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Clinical.Models.Tests.Runtime;

public sealed class SafetensorsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("safetensors-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(ScalarType.Float32, "F32")]
    [InlineData(ScalarType.Float16, "F16")]
    [InlineData(ScalarType.BFloat16, "BF16")]
    [InlineData(ScalarType.Int64, "I64")]
    public void Written_tensors_read_back_bit_identical_with_their_dtype(ScalarType dtype, string stored)
    {
        var path = Path.Combine(_dir, "t.safetensors");
        using var original = arange(0, 24, dtype: ScalarType.Float32).reshape(2, 3, 4).div(7).to(dtype);
        SafetensorsWriter.Write(path, [KeyValuePair.Create("layer.weight", original)]);

        var file = SafetensorsFile.Open(path);
        using var read = file.Read("layer.weight");

        Assert.Equal(stored, file.Entries["layer.weight"].DType);
        Assert.Equal(new long[] { 2, 3, 4 }, read.shape);
        Assert.Equal(dtype, read.dtype);
        Assert.True(read.eq(original).all().item<bool>());
    }

    [Fact]
    public void Header_is_json_with_offsets_relative_to_the_data_section()
    {
        var path = Path.Combine(_dir, "t.safetensors");
        using var a = ones(3);
        using var b = zeros(2, 2);
        SafetensorsWriter.Write(
            path,
            [KeyValuePair.Create("b", b), KeyValuePair.Create("a", a)],
            new Dictionary<string, string> { ["format"] = "pt" }
        );

        var bytes = File.ReadAllBytes(path);
        var headerLength = BitConverter.ToInt64(bytes, 0);
        var header = System.Text.Encoding.UTF8.GetString(bytes, 8, (int)headerLength);

        Assert.Equal(0, (8 + headerLength) % 8);
        Assert.Contains(
            "\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,12]}",
            header,
            StringComparison.Ordinal
        );
        Assert.Contains(
            "\"b\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[12,28]}",
            header,
            StringComparison.Ordinal
        );
        Assert.Equal("pt", SafetensorsFile.Open(path).Metadata["format"]);
        Assert.Equal(8 + headerLength + 28, bytes.Length);
    }

    [Fact]
    public void Truncated_file_is_refused_with_the_tensor_named()
    {
        var path = Path.Combine(_dir, "t.safetensors");
        using var a = ones(100);
        SafetensorsWriter.Write(path, [KeyValuePair.Create("embeddings.weight", a)]);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^16]);

        var error = Assert.Throws<InvalidDataException>(() => SafetensorsFile.Open(path));

        Assert.Contains("embeddings.weight", error.Message, StringComparison.Ordinal);
    }
}
