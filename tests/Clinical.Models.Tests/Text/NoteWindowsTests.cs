using Clinical.Models.Text;

namespace Clinical.Models.Tests.Text;

public sealed class NoteWindowsTests
{
    private static EncodedText Words(int count)
    {
        var text = string.Join(' ', Enumerable.Range(0, count).Select(i => $"w{i}"));
        var offsets = new List<TextSpan>();
        var start = 0;
        for (var i = 0; i < count; i++)
        {
            var length = $"w{i}".Length;
            offsets.Add(new TextSpan(start, start + length));
            start += length + 1;
        }
        return new EncodedText(text, Enumerable.Range(100, count).ToList(), offsets);
    }

    [Fact]
    public void Given_note_longer_than_a_window_When_split_Then_windows_overlap_and_cover_every_token()
    {
        var content = Words(1200);

        var windows = NoteWindows.Split(content, maxTokens: 510, overlap: 128);

        Assert.Equal([0, 382, 764], windows.Select(w => w.FirstToken));
        Assert.All(windows, w => Assert.InRange(w.TokenCount, 1, 510));
        Assert.Equal(1200, windows[^1].FirstToken + windows[^1].TokenCount);
        Assert.Equal("w382", content.Text[windows[1].Span.Start..(windows[1].Span.Start + 4)]);
        Assert.EndsWith("w1199", windows[^1].Span.Of(content.Text), StringComparison.Ordinal);
    }

    [Fact]
    public void Given_window_When_sliced_Then_ids_and_spans_are_those_tokens()
    {
        var content = Words(20);
        var window = NoteWindows.Split(content, maxTokens: 8, overlap: 2)[1];

        var slice = NoteWindows.Slice(content, window);

        Assert.Equal(Enumerable.Range(106, 8), slice.Ids);
        Assert.Equal("w6", slice.Offsets[0].Of(content.Text));
    }

    [Fact]
    public void Given_short_or_empty_note_When_split_Then_there_is_exactly_one_window()
    {
        Assert.Single(NoteWindows.Split(Words(5), 510, 128));
        Assert.Equal(0, Assert.Single(NoteWindows.Split(Words(0), 510, 128)).TokenCount);
    }

    [Fact]
    public void Given_overlap_not_smaller_than_window_When_split_Then_it_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => NoteWindows.Split(Words(10), 4, 4));
    }
}
