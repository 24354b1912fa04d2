using System.Text;

namespace Clinical.Models.Text;

/// <summary>Piece types of sentencepiece_model.proto (ModelProto.SentencePiece.Type).</summary>
public enum SentencePieceType
{
    Normal = 1,
    Unknown = 2,
    Control = 3,
    UserDefined = 4,
    Unused = 5,
    Byte = 6,
}

public sealed record SentencePieceEntry(string Piece, float Score, SentencePieceType Type);

/// <summary>The parts of a SentencePiece ModelProto this product writes and reads.</summary>
public sealed record SentencePieceModel(
    IReadOnlyList<SentencePieceEntry> Pieces,
    bool ByteFallback = true,
    bool AddDummyPrefix = true,
    bool RemoveExtraWhitespaces = false,
    bool SplitDigits = true
)
{
    public int IdOf(string piece)
    {
        for (var i = 0; i < Pieces.Count; i++)
            if (Pieces[i].Piece == piece)
                return i;
        return -1;
    }
}

/// <summary>
/// Hand-written protobuf for sentencepiece's tokenizer.model (google/sentencepiece
/// src/sentencepiece_model.proto): ModelProto{pieces=1, trainer_spec=2, normalizer_spec=3};
/// pieces {piece=1, score=2, type=3}; TrainerSpec {model_type=3 (BPE=2), vocab_size=4,
/// split_digits=25, byte_fallback=35, unk/bos/eos/pad id=40..43}; NormalizerSpec {name=1,
/// add_dummy_prefix=3, remove_extra_whitespaces=4, escape_whitespaces=5}. The normaliser is
/// "identity" (no precompiled charsmap), so text must already be NFC.
/// </summary>
public static class SentencePieceModelFile
{
    private const int BpeModelType = 2;

    public static void Write(string path, SentencePieceModel model)
    {
        using var stream = File.Create(path);
        foreach (var entry in model.Pieces)
        {
            var piece = new MemoryStream();
            WriteString(piece, 1, entry.Piece);
            WriteTag(piece, 2, 5);
            piece.Write(BitConverter.GetBytes(entry.Score));
            WriteVarintField(piece, 3, (ulong)entry.Type);
            WriteBytes(stream, 1, piece.ToArray());
        }

        var trainer = new MemoryStream();
        WriteVarintField(trainer, 3, BpeModelType);
        WriteVarintField(trainer, 4, (ulong)model.Pieces.Count);
        WriteVarintField(trainer, 25, model.SplitDigits ? 1UL : 0UL);
        WriteVarintField(trainer, 35, model.ByteFallback ? 1UL : 0UL);
        WriteIdField(trainer, 40, model.Pieces, SentencePieceType.Unknown, null);
        WriteIdField(trainer, 41, model.Pieces, SentencePieceType.Control, "<s>");
        WriteIdField(trainer, 42, model.Pieces, SentencePieceType.Control, "</s>");
        WriteIdField(trainer, 43, model.Pieces, SentencePieceType.Control, "<pad>");
        WriteBytes(stream, 2, trainer.ToArray());

        var normalizer = new MemoryStream();
        WriteString(normalizer, 1, "identity");
        WriteVarintField(normalizer, 3, model.AddDummyPrefix ? 1UL : 0UL);
        WriteVarintField(normalizer, 4, model.RemoveExtraWhitespaces ? 1UL : 0UL);
        WriteVarintField(normalizer, 5, 1);
        WriteBytes(stream, 3, normalizer.ToArray());
    }

    /// <summary>
    /// The pieces and the normaliser's add_dummy_prefix and remove_extra_whitespaces (proto defaults true and true);
    /// a precompiled charsmap, when there is one, is not applied (text is expected in NFC, as notes are).
    /// </summary>
    public static SentencePieceModel Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var (addDummyPrefix, removeExtraWhitespaces) = (true, true);
        var position = 0;
        while (position < bytes.Length)
        {
            var (field, wireType) = ReadTag(bytes, ref position);
            if (field != 3 || wireType != 2)
            {
                Skip(bytes, ref position, wireType, path);
                continue;
            }
            var end = (int)ReadVarint(bytes, ref position) + position;
            while (position < end)
            {
                var (specField, specWire) = ReadTag(bytes, ref position);
                if (specWire == 0 && specField is 3 or 4)
                {
                    var on = ReadVarint(bytes, ref position) != 0;
                    if (specField == 3)
                        addDummyPrefix = on;
                    else
                        removeExtraWhitespaces = on;
                }
                else
                {
                    Skip(bytes, ref position, specWire, path);
                }
            }
        }
        return new SentencePieceModel(ReadPieces(path), AddDummyPrefix: addDummyPrefix)
        {
            RemoveExtraWhitespaces = removeExtraWhitespaces,
        };
    }

    /// <summary>Reads the pieces (with their types) of any tokenizer.model; other fields are skipped.</summary>
    public static IReadOnlyList<SentencePieceEntry> ReadPieces(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var pieces = new List<SentencePieceEntry>();
        var position = 0;
        while (position < bytes.Length)
        {
            var (field, wireType) = ReadTag(bytes, ref position);
            if (field == 1 && wireType == 2)
            {
                var length = (int)ReadVarint(bytes, ref position);
                pieces.Add(ReadPiece(bytes.AsSpan(position, length)));
                position += length;
            }
            else
            {
                Skip(bytes, ref position, wireType, path);
            }
        }
        return pieces;
    }

    /// <summary>
    /// The trainer_spec's unk/bos/eos/pad ids by role ("unk", "bos", "eos", "pad"), with the proto's
    /// defaults (0, 1, 2, -1) where absent; a negative id means the model has no such token.
    /// </summary>
    public static IReadOnlyDictionary<string, int> ReadSpecialIds(string path)
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["unk"] = 0,
            ["bos"] = 1,
            ["eos"] = 2,
            ["pad"] = -1,
        };
        var bytes = File.ReadAllBytes(path);
        var position = 0;
        while (position < bytes.Length)
        {
            var (field, wireType) = ReadTag(bytes, ref position);
            if (field != 2 || wireType != 2)
            {
                Skip(bytes, ref position, wireType, path);
                continue;
            }
            var end = (int)ReadVarint(bytes, ref position) + position;
            while (position < end)
            {
                var (specField, specWire) = ReadTag(bytes, ref position);
                if (specWire == 0 && specField is >= 40 and <= 43)
                    ids[RoleByField[specField - 40]] = (int)(long)ReadVarint(bytes, ref position);
                else
                    Skip(bytes, ref position, specWire, path);
            }
        }
        return ids;
    }

    private static readonly string[] RoleByField = ["unk", "bos", "eos", "pad"];

    private static SentencePieceEntry ReadPiece(ReadOnlySpan<byte> message)
    {
        var bytes = message.ToArray();
        var position = 0;
        var piece = "";
        var score = 0f;
        var type = SentencePieceType.Normal;
        while (position < bytes.Length)
        {
            var (field, wireType) = ReadTag(bytes, ref position);
            switch (field, wireType)
            {
                case (1, 2):
                    var length = (int)ReadVarint(bytes, ref position);
                    piece = Encoding.UTF8.GetString(bytes, position, length);
                    position += length;
                    break;
                case (2, 5):
                    score = BitConverter.ToSingle(bytes, position);
                    position += 4;
                    break;
                case (3, 0):
                    type = (SentencePieceType)ReadVarint(bytes, ref position);
                    break;
                default:
                    Skip(bytes, ref position, wireType, "piece");
                    break;
            }
        }
        return new SentencePieceEntry(piece, score, type);
    }

    private static void WriteIdField(
        Stream stream,
        int field,
        IReadOnlyList<SentencePieceEntry> pieces,
        SentencePieceType type,
        string? piece
    )
    {
        var id = -1;
        for (var i = 0; i < pieces.Count && id < 0; i++)
            if (pieces[i].Type == type && (piece is null || pieces[i].Piece == piece))
                id = i;
        WriteVarintField(stream, field, unchecked((ulong)(long)id));
    }

    private static void WriteTag(Stream stream, int field, int wireType) =>
        WriteVarint(stream, (ulong)((field << 3) | wireType));

    private static void WriteVarintField(Stream stream, int field, ulong value)
    {
        WriteTag(stream, field, 0);
        WriteVarint(stream, value);
    }

    private static void WriteString(Stream stream, int field, string value) =>
        WriteBytes(stream, field, Encoding.UTF8.GetBytes(value));

    private static void WriteBytes(Stream stream, int field, byte[] value)
    {
        WriteTag(stream, field, 2);
        WriteVarint(stream, (ulong)value.Length);
        stream.Write(value);
    }

    private static void WriteVarint(Stream stream, ulong value)
    {
        while (value >= 0x80)
        {
            stream.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        stream.WriteByte((byte)value);
    }

    private static (int Field, int WireType) ReadTag(byte[] bytes, ref int position)
    {
        var tag = ReadVarint(bytes, ref position);
        return ((int)(tag >> 3), (int)(tag & 7));
    }

    private static ulong ReadVarint(byte[] bytes, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = bytes[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
                return value;
        }
    }

    private static void Skip(byte[] bytes, ref int position, int wireType, string where)
    {
        switch (wireType)
        {
            case 0:
                ReadVarint(bytes, ref position);
                break;
            case 1:
                position += 8;
                break;
            case 2:
                var length = (int)ReadVarint(bytes, ref position);
                position += length;
                break;
            case 5:
                position += 4;
                break;
            default:
                throw new InvalidDataException(
                    $"{where}: protobuf wire type {wireType} is not valid in a SentencePiece model."
                );
        }
    }
}
