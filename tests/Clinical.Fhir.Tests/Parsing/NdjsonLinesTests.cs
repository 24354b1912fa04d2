using System.Text;
using Clinical.Fhir.Parsing;

namespace Clinical.Fhir.Tests.Parsing;

/// <summary>NDJSON lines are decoded strictly: bytes that are not UTF-8 are reported, not replaced.</summary>
public sealed class NdjsonLinesTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ndjson-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string File(params byte[][] parts)
    {
        var path = Path.Combine(_folder, "Observation.ndjson");
        System.IO.File.WriteAllBytes(path, parts.SelectMany(p => p).ToArray());
        return path;
    }

    private static byte[] Text(string text) => Encoding.UTF8.GetBytes(text);

    private static (List<NdjsonLine> Lines, List<InputIssue> Issues) Read(string path)
    {
        var issues = new List<InputIssue>();
        return (NdjsonLines.Read(path, issues).ToList(), issues);
    }

    [Theory]
    [InlineData(new byte[] { 0xC3, 0x28 })] // a lead byte followed by ASCII
    [InlineData(new byte[] { 0xC0, 0xAF })] // '/' in an overlong two-byte form
    [InlineData(new byte[] { 0xE0, 0x80, 0xAF })] // '/' in an overlong three-byte form
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })] // the surrogate U+D800 encoded (CESU-8), not a character
    [InlineData(new byte[] { 0xF4, 0x90, 0x80, 0x80 })] // above U+10FFFF
    [InlineData(new byte[] { 0xE9 })] // latin-1 'é'
    public void Given_a_line_with_bytes_that_are_not_UTF8_When_read_Then_it_alone_is_reported_and_skipped(byte[] bad)
    {
        var path = File(Text("{\"line\":1}\n{\"family\":\"Garc"), bad, Text("a\"}\n{\"line\":3}\n"));

        var (lines, issues) = Read(path);

        Assert.Equal([(1, "{\"line\":1}"), (3, "{\"line\":3}")], lines.Select(l => (l.Number, l.Text)));
        var issue = Assert.Single(issues);
        Assert.Equal(IssueSeverity.Error, issue.Severity);
        Assert.Equal((2L, 16L), (issue.Line, issue.Column));
        Assert.Equal("Observation.ndjson line 2", issue.Location);
        Assert.Contains("not valid UTF-8", issue.Diagnostics, StringComparison.Ordinal);
        Assert.Equal(path, issue.Source);
    }

    [Fact]
    public void Given_a_sequence_cut_short_at_the_end_of_the_file_When_read_Then_the_last_line_is_reported()
    {
        // "€" is E2 82 AC; the file ends after its first two bytes, without a newline.
        var path = File(Text("{\"line\":1}\n{\"unit\":\""), [0xE2, 0x82]);

        var (lines, issues) = Read(path);

        Assert.Equal(1, Assert.Single(lines).Number);
        var issue = Assert.Single(issues);
        Assert.Equal((2L, 10L), (issue.Line, issue.Column));
    }

    [Fact]
    public void Given_a_byte_order_mark_CRLF_and_blank_lines_When_read_Then_the_lines_are_read_without_them()
    {
        var path = File([0xEF, 0xBB, 0xBF], Text("{\"a\":\"é\"}\r\n\r\n  \n{\"b\":2}"));

        var (lines, issues) = Read(path);

        Assert.Empty(issues);
        Assert.Equal([(1, "{\"a\":\"é\"}"), (4, "{\"b\":2}")], lines.Select(l => (l.Number, l.Text)));
    }

    [Fact]
    public void Given_a_character_split_across_the_read_buffer_When_read_Then_it_is_decoded_whole()
    {
        // Lines longer than the 64 KiB read: "é" (C3 A9) straddles the first read's end.
        var longText = new string('x', 64 * 1024 - 1) + "é" + new string('y', 70_000);
        var path = File(Text(longText + "\n" + longText));

        var (lines, issues) = Read(path);

        Assert.Empty(issues);
        Assert.Equal([longText, longText], lines.Select(l => l.Text));
    }
}
