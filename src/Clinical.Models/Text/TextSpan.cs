namespace Clinical.Models.Text;

/// <summary>A character range [Start, End) in the original note text.</summary>
public readonly record struct TextSpan(int Start, int End)
{
    public int Length => End - Start;

    public string Of(string text) => text[Start..End];

    public static TextSpan Cover(TextSpan first, TextSpan last) => new(first.Start, last.End);
}
