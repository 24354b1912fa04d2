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

    private static readonly int[] CrowdedMentions = [500, 510, 1000, 1500, 1900];

    private static TextSpan SpanOf(EncodedText content, int token) => content.Offsets[token];

    [Fact]
    public void Given_mentions_in_a_long_note_When_windows_are_chosen_Then_each_is_centred_and_in_note_order()
    {
        var content = Words(1000);

        var windows = NoteWindows.AroundMentions(
            content,
            [SpanOf(content, 700), SpanOf(content, 10), SpanOf(content, 400)],
            maxTokens: 100,
            maxWindows: 8
        );

        Assert.Equal([0, 350, 650], windows.Select(w => w.FirstToken));
        Assert.Equal([0, 1, 2], windows.Select(w => w.Index));
        Assert.All(windows, w => Assert.Equal(100, w.TokenCount));
    }

    [Fact]
    public void Given_close_or_many_mentions_When_windows_are_chosen_Then_a_covered_one_adds_none_and_the_cap_holds()
    {
        var content = Words(2000);
        var mentions = CrowdedMentions.Select(t => SpanOf(content, t)).ToList();

        var windows = NoteWindows.AroundMentions(content, mentions, maxTokens: 100, maxWindows: 3);

        Assert.Equal([450, 950, 1450], windows.Select(w => w.FirstToken));
    }

    [Fact]
    public void Given_no_mention_or_a_short_note_When_windows_are_chosen_Then_the_first_window_is_read()
    {
        var content = Words(500);

        Assert.Equal(
            [(0, 100)],
            NoteWindows.AroundMentions(content, [], 100, 4).Select(w => (w.FirstToken, w.TokenCount))
        );
        Assert.Equal(
            [(0, 50)],
            NoteWindows
                .AroundMentions(Words(50), [SpanOf(Words(50), 40)], 100, 4)
                .Select(w => (w.FirstToken, w.TokenCount))
        );
    }

    [Fact]
    public void Given_a_note_with_hf_mentions_When_the_policy_picks_windows_Then_the_heart_failure_name_comes_first()
    {
        var filler = string.Join(' ', Enumerable.Repeat("texto", 300));
        var text = $"{filler} refiere disnea. {filler} Diagnóstico: insuficiencia cardiaca. {filler}";
        var tokens = text.Split(' ');
        var offsets = new List<TextSpan>();
        var at = 0;
        foreach (var token in tokens)
        {
            offsets.Add(new TextSpan(at, at + token.Length));
            at += token.Length + 1;
        }
        var content = new EncodedText(text, Enumerable.Range(0, tokens.Length).ToList(), offsets);

        var one = new WindowPolicy(WindowSelection.Mentions, 66, 0, MaxWindows: 1).Windows(content, 64);
        var two = new WindowPolicy(WindowSelection.Mentions, 66, 0, MaxWindows: 2).Windows(content, 64);

        Assert.Contains("insuficiencia cardiaca", one.Single().Span.Of(text), StringComparison.Ordinal);
        Assert.Equal(2, two.Count);
        Assert.Contains("disnea", two[0].Span.Of(text), StringComparison.Ordinal);
    }

    [Fact]
    public void Given_first_and_mentions_When_chosen_Then_the_opening_is_one_and_a_mention_near_it_adds_none()
    {
        var content = Words(1000);
        var mentions = new List<TextSpan> { SpanOf(content, 5), SpanOf(content, 600), SpanOf(content, 900) };

        var windows = NoteWindows.AroundMentions(content, mentions, maxTokens: 100, maxWindows: 2, withFirst: true);

        Assert.Equal([0, 550], windows.Select(w => w.FirstToken));
    }
}
