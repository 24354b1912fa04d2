using Clinical.DevTools.Onnx;

namespace Clinical.DevTools.Tests.Onnx;

/// <summary>The wire format against the worked examples of https://protobuf.dev/programming-guides/encoding/.</summary>
public sealed class OnnxProtoTests
{
    [Fact]
    public void Given_varint_150_in_field_1_When_written_Then_bytes_are_08_96_01()
    {
        Assert.Equal([0x08, 0x96, 0x01], new ProtoMessage().Varint(1, 150).ToArray());
    }

    [Fact]
    public void Given_negative_int64_When_written_Then_it_takes_ten_bytes_of_twos_complement()
    {
        var bytes = new ProtoMessage().Varint(3, -1).ToArray();

        Assert.Equal([0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], bytes);
    }

    [Fact]
    public void Given_string_and_nested_message_When_written_Then_each_is_tag_length_payload()
    {
        var child = new ProtoMessage().Varint(1, 150);

        var bytes = new ProtoMessage().String(2, "testing").Message(3, child).ToArray();

        byte[] expected = [0x12, 0x07, .. "testing"u8.ToArray(), 0x1A, 0x03, 0x08, 0x96, 0x01];
        Assert.Equal(expected, bytes);
    }

    [Fact]
    public void Given_large_payload_inside_nested_messages_When_written_Then_lengths_count_it_once()
    {
        var payload = Enumerable.Range(0, 300).Select(i => (byte)i).ToArray();
        var inner = new ProtoMessage().Bytes(9, payload);
        var outer = new ProtoMessage().Message(5, inner);

        var bytes = outer.ToArray();

        // inner: tag 0x4A, length 300 as varint (0xAC 0x02), payload → 303 bytes; outer: tag 0x2A, 0xAF 0x02, inner.
        Assert.Equal(306, bytes.Length);
        Assert.Equal(bytes.Length, outer.Length);
        Assert.Equal([0x2A, 0xAF, 0x02, 0x4A, 0xAC, 0x02], bytes[..6]);
        Assert.Equal(payload, bytes[6..]);
    }
}
