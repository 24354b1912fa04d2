using System.Text;

namespace Clinical.Synthetic.Notes;

/// <summary>Keyboard habits of busy clinicians: missing accents, a few typos, odd spacing.</summary>
internal static class NoteNoise
{
    private const double AccentlessNote = 0.12;
    private const double AccentDroppedPerWord = 0.03;
    private const double TypoPerWord = 0.012;

    public static string Apply(string text, SeededRandom rng)
    {
        var stripAll = rng.Chance(AccentlessNote);
        var output = new StringBuilder(text.Length + 8);
        var word = new StringBuilder();
        foreach (var c in text)
        {
            if (char.IsLetter(c))
            {
                word.Append(c);
                continue;
            }
            Flush(word, output, rng, stripAll);
            output.Append(c);
            if (c == ' ' && rng.Chance(0.004))
            {
                output.Append(' ');
            }
        }
        Flush(word, output, rng, stripAll);
        return output.ToString();
    }

    private static void Flush(StringBuilder word, StringBuilder output, SeededRandom rng, bool stripAll)
    {
        if (word.Length == 0)
        {
            return;
        }
        var text = word.ToString();
        word.Clear();
        if (stripAll || rng.Chance(AccentDroppedPerWord))
        {
            text = StripAccents(text);
        }
        if (text.Length >= 5 && rng.Chance(TypoPerWord))
        {
            text = Typo(text, rng);
        }
        output.Append(text);
    }

    private static string Typo(string word, SeededRandom rng)
    {
        var i = rng.Next(1, word.Length - 1);
        return rng.Next(0, 3) switch
        {
            0 => word[..i] + word[i + 1] + word[i] + word[(i + 2)..],
            1 => word.Remove(i, 1),
            _ => word.Insert(i, word[i].ToString()),
        };
    }

    private static string StripAccents(string word)
    {
        var chars = word.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = chars[i] switch
            {
                'á' or 'à' => 'a',
                'é' or 'è' => 'e',
                'í' or 'ï' => 'i',
                'ó' or 'ò' => 'o',
                'ú' or 'ü' => 'u',
                'Á' => 'A',
                'É' => 'E',
                'Í' => 'I',
                'Ó' => 'O',
                'Ú' => 'U',
                _ => chars[i],
            };
        }
        return new string(chars);
    }
}
