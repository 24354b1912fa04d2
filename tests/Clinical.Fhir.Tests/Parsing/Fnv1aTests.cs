using Clinical.Fhir.Parsing;

namespace Clinical.Fhir.Tests.Parsing;

public sealed class Fnv1aTests
{
    // Test vectors of the FNV reference (isthe.com/chongo/tech/comp/fnv, draft-eastlake-fnv appendix C).
    [Theory]
    [InlineData("", 0x811c9dc5u)]
    [InlineData("a", 0xe40c292cu)]
    [InlineData("foobar", 0xbf9cf968u)]
    public void Given_reference_strings_When_hashed_to_32_bits_Then_the_published_values(string text, uint expected) =>
        Assert.Equal(expected, Fnv1a.Hash32(text));

    [Theory]
    [InlineData("", 0xcbf29ce484222325UL)]
    [InlineData("a", 0xaf63dc4c8601ec8cUL)]
    [InlineData("foobar", 0x85944171f73967e8UL)]
    public void Given_reference_strings_When_hashed_to_64_bits_Then_the_published_values(string text, ulong expected) =>
        Assert.Equal(expected, Fnv1a.Hash64(text));

    [Fact]
    public void Given_text_beyond_ASCII_When_hashed_Then_each_UTF16_code_unit_is_one_step()
    {
        // "é" is one code unit (0xE9), not two UTF-8 bytes: the value the split and the cuts were recorded with.
        var byHand = unchecked((2166136261u ^ 0xE9u) * 16777619u);

        Assert.Equal(byHand, Fnv1a.Hash32("é"));
    }
}
