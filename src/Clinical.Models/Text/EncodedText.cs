namespace Clinical.Models.Text;

/// <summary>Token ids of a text and, for each token, the characters of the original text it came from.</summary>
public sealed record EncodedText(string Text, IReadOnlyList<int> Ids, IReadOnlyList<TextSpan> Offsets)
{
    public int Count => Ids.Count;
}
