using System.Text;

namespace Clinical.Models.Text;

/// <summary>
/// GPT-2's reversible byte-to-character map (bytes_to_unicode in openai/gpt-2 encoder.py), used by
/// RoBERTa's byte-level BPE: printable bytes map to themselves, the rest to U+0100 onwards, so a
/// space becomes 'Ġ' and a newline 'Ċ'.
/// </summary>
public static class ByteLevelAlphabet
{
    private static readonly char[] CharByByte = BuildMap();

    public static IReadOnlyList<char> Characters => CharByByte;

    public static string Encode(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var chars = new char[bytes.Length];
        for (var i = 0; i < bytes.Length; i++)
            chars[i] = CharByByte[bytes[i]];
        return new string(chars);
    }

    private static char[] BuildMap()
    {
        var map = new char[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            var printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            map[b] = printable ? (char)b : (char)next++;
        }
        return map;
    }
}
