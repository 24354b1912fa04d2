using System.Runtime.InteropServices;
using System.Text;

namespace Clinical.DevTools.Onnx;

/// <summary>
/// One protocol-buffers message being written (https://protobuf.dev/programming-guides/encoding/): each field is a
/// tag, varint (field number &lt;&lt; 3 | wire type), then a varint (wire type 0), four little-endian bytes (type 5)
/// or a varint length and that many bytes (type 2: strings, bytes, packed numbers, nested messages). Large payloads
/// (tensor data) and nested messages are kept as references and copied once, when the whole message is written.
/// </summary>
internal sealed class ProtoMessage
{
    private const int VarintType = 0;
    private const int LengthDelimitedType = 2;
    private const int Fixed32Type = 5;

    private readonly List<ReadOnlyMemory<byte>> _parts = [];
    private readonly List<byte> _pending = [];

    /// <summary>The encoded size in bytes.</summary>
    public long Length => _parts.Sum(p => (long)p.Length) + _pending.Count;

    /// <summary>int32, int64, enum and bool fields; a negative value takes ten bytes, as protobuf encodes it.</summary>
    public ProtoMessage Varint(int field, long value)
    {
        Tag(field, VarintType);
        WriteVarint(unchecked((ulong)value));
        return this;
    }

    public ProtoMessage Float(int field, float value)
    {
        Tag(field, Fixed32Type);
        Span<byte> bytes = stackalloc byte[4];
        BitConverter.TryWriteBytes(bytes, value);
        if (!BitConverter.IsLittleEndian)
            bytes.Reverse();
        _pending.AddRange(bytes);
        return this;
    }

    public ProtoMessage String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    /// <summary>A bytes field; the payload is referenced, not copied, until <see cref="WriteTo"/>.</summary>
    public ProtoMessage Bytes(int field, ReadOnlyMemory<byte> value)
    {
        Tag(field, LengthDelimitedType);
        WriteVarint((ulong)value.Length);
        Append(value);
        return this;
    }

    /// <summary>A repeated int64 field, packed (proto3's default encoding; proto2 parsers accept it too).</summary>
    public ProtoMessage PackedVarints(int field, IEnumerable<long> values)
    {
        var packed = new ProtoMessage();
        foreach (var value in values)
            packed.WriteVarint(unchecked((ulong)value));
        return Bytes(field, packed.ToArray());
    }

    public ProtoMessage Message(int field, ProtoMessage child)
    {
        ArgumentNullException.ThrowIfNull(child);
        Tag(field, LengthDelimitedType);
        WriteVarint((ulong)child.Length);
        Flush();
        _parts.AddRange(child._parts);
        _parts.Add(child._pending.ToArray());
        return this;
    }

    public void WriteTo(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        foreach (var part in _parts)
            stream.Write(part.Span);
        stream.Write(CollectionsMarshal.AsSpan(_pending));
    }

    public byte[] ToArray()
    {
        using var stream = new MemoryStream(checked((int)Length));
        WriteTo(stream);
        return stream.ToArray();
    }

    private void Tag(int field, int wireType) => WriteVarint((ulong)((field << 3) | wireType));

    private void WriteVarint(ulong value)
    {
        // Seven bits at a time, least significant first; the high bit says another byte follows.
        while (value >= 0x80)
        {
            _pending.Add((byte)(value | 0x80));
            value >>= 7;
        }
        _pending.Add((byte)value);
    }

    private void Append(ReadOnlyMemory<byte> payload)
    {
        if (payload.Length <= 64)
        {
            _pending.AddRange(payload.Span);
            return;
        }
        Flush();
        _parts.Add(payload);
    }

    private void Flush()
    {
        if (_pending.Count == 0)
            return;
        _parts.Add(_pending.ToArray());
        _pending.Clear();
    }
}

/// <summary>ONNX element types (TensorProto.DataType in onnx/onnx.proto).</summary>
internal enum OnnxType
{
    Float = 1,
    Uint8 = 2,
    Int8 = 3,
    Int64 = 7,
    Bool = 9,
}

/// <summary>
/// The ONNX messages the encoder graph needs, with the field numbers of onnx/onnx.proto (IR version 8):
/// ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto (TypeProto.Tensor,
/// TensorShapeProto) and OperatorSetIdProto.
/// </summary>
internal static class OnnxProto
{
    /// <summary>IR version 8 goes with opset 17 (onnx/docs/Versioning.md).</summary>
    public const long IrVersion = 8;

    /// <summary>TensorProto with raw_data (little-endian, row-major).</summary>
    public static ProtoMessage Tensor<T>(string name, IReadOnlyList<long> dims, OnnxType type, T[] values)
        where T : unmanaged
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("ONNX raw_data is little-endian.");
        if (dims.Aggregate(1L, (a, b) => a * b) != values.Length)
            throw new ArgumentException(
                $"Tensor '{name}': {values.Length} values for shape [{string.Join(", ", dims)}]."
            );
        var bytes = MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
        return new ProtoMessage()
            .PackedVarints(1, dims) // dims
            .Varint(2, (int)type) // data_type
            .String(8, name) // name
            .Bytes(9, bytes); // raw_data
    }

    public static ProtoMessage Node(
        string opType,
        IEnumerable<string> inputs,
        IEnumerable<string> outputs,
        string name,
        string domain = "",
        IEnumerable<ProtoMessage>? attributes = null
    )
    {
        var node = new ProtoMessage();
        foreach (var input in inputs)
            node.String(1, input); // input
        foreach (var output in outputs)
            node.String(2, output); // output
        node.String(3, name).String(4, opType); // name, op_type
        foreach (var attribute in attributes ?? [])
            node.Message(5, attribute); // attribute
        if (domain.Length > 0)
            node.String(7, domain); // domain
        return node;
    }

    // AttributeProto: name = 1, f = 2, i = 3, ints = 8, type = 20 (FLOAT = 1, INT = 2, INTS = 7).
    public static ProtoMessage IntAttribute(string name, long value) =>
        new ProtoMessage().String(1, name).Varint(3, value).Varint(20, 2);

    public static ProtoMessage FloatAttribute(string name, float value) =>
        new ProtoMessage().String(1, name).Float(2, value).Varint(20, 1);

    public static ProtoMessage IntsAttribute(string name, IEnumerable<long> values) =>
        new ProtoMessage().String(1, name).PackedVarints(8, values).Varint(20, 7);

    /// <summary>
    /// ValueInfoProto of a tensor; each dimension is a number (dim_value) or a name for a size known at run time
    /// (dim_param).
    /// </summary>
    public static ProtoMessage ValueInfo(string name, OnnxType type, params object[] dims)
    {
        var shape = new ProtoMessage();
        foreach (var dim in dims)
            shape.Message(
                1, // TensorShapeProto.dim
                dim is string symbol
                    ? new ProtoMessage().String(2, symbol) // dim_param
                    : new ProtoMessage().Varint(1, Convert.ToInt64(dim, null)) // dim_value
            );
        var tensorType = new ProtoMessage().Varint(1, (int)type).Message(2, shape); // elem_type, shape
        var typeProto = new ProtoMessage().Message(1, tensorType); // TypeProto.tensor_type
        return new ProtoMessage().String(1, name).Message(2, typeProto); // name, type
    }

    public static ProtoMessage Graph(
        string name,
        IEnumerable<ProtoMessage> nodes,
        IEnumerable<ProtoMessage> initializers,
        IEnumerable<ProtoMessage> inputs,
        IEnumerable<ProtoMessage> outputs
    )
    {
        var graph = new ProtoMessage();
        foreach (var node in nodes)
            graph.Message(1, node);
        graph.String(2, name);
        foreach (var initializer in initializers)
            graph.Message(5, initializer);
        foreach (var input in inputs)
            graph.Message(11, input);
        foreach (var output in outputs)
            graph.Message(12, output);
        return graph;
    }

    /// <summary>
    /// ModelProto: ir_version = 1, producer_name = 2, graph = 7, opset_import = 8 (domain = 1, version = 2).
    /// </summary>
    public static ProtoMessage Model(ProtoMessage graph, IEnumerable<(string Domain, long Version)> opsets)
    {
        var model = new ProtoMessage().Varint(1, IrVersion).String(2, "Clinical.DevTools").Message(7, graph);
        foreach (var (domain, version) in opsets)
            model.Message(8, new ProtoMessage().String(1, domain).Varint(2, version));
        return model;
    }
}
