using Clinical.Api.Hosting;

namespace Clinical.Api.Tests.Hosting;

public sealed class OutboundUrlsTests
{
    private static readonly string[] AllowList = ["https://ehr.example/fhir", "https://files.example"];

    [Theory]
    [InlineData("https://ehr.example/fhir")]
    [InlineData("https://ehr.example/fhir/")]
    [InlineData("https://ehr.example/fhir/Patient/$export?_type=Patient")]
    [InlineData("https://EHR.example:443/fhir/Group/7/$export")]
    [InlineData("https://files.example/bulk/0001/Patient.ndjson")]
    public void Given_a_URL_under_an_allowed_prefix_Then_it_is_allowed(string url) =>
        Assert.True(OutboundUrls.IsAllowed(new Uri(url), AllowList));

    [Theory]
    [InlineData("https://ehr.example/fhir-admin/Patient")] // a longer segment, not a child
    [InlineData("https://ehr.example/")] // above the allowed path
    [InlineData("https://ehr.example/other/fhir")]
    [InlineData("http://ehr.example/fhir")] // another scheme
    [InlineData("https://ehr.example:8443/fhir")] // another port
    [InlineData("https://ehr.example.evil/fhir")] // another host that starts the same
    [InlineData("https://evil.example/ehr.example/fhir")]
    [InlineData("https://ehr.example@evil.example/fhir")] // user information hides the real host
    [InlineData("https://user:pw@ehr.example/fhir")]
    [InlineData("https://ehr.example/fhir/%2e%2e/admin")] // System.Uri resolves it to /admin, which is checked
    [InlineData("https://ehr.example/fhir/..%2Fadmin")]
    [InlineData("https://ehr.example/fhir/a%5C..%5Cadmin")]
    [InlineData("file:///etc/passwd")]
    public void Given_a_URL_outside_every_allowed_prefix_Then_it_is_refused(string url) =>
        Assert.False(OutboundUrls.IsAllowed(new Uri(url), AllowList));

    [Fact]
    public void Given_an_empty_or_malformed_allow_list_Then_nothing_is_allowed()
    {
        Assert.False(OutboundUrls.IsAllowed(new Uri("https://ehr.example/fhir"), []));
        Assert.False(OutboundUrls.IsAllowed(new Uri("https://ehr.example/fhir"), ["ehr.example/fhir", ""]));
    }

    [Theory]
    [InlineData("https://ehr.example/fhir", true)]
    [InlineData("http://127.0.0.1:5080", true)]
    [InlineData("ehr.example/fhir", false)]
    [InlineData("https://user@ehr.example/fhir", false)]
    [InlineData("https://ehr.example/fhir?x=1", false)]
    [InlineData("https://ehr.example/fhir#top", false)]
    [InlineData("https://ehr.example/fhir%2F..%2Fadmin", false)]
    [InlineData("ftp://ehr.example/fhir", false)]
    public void Given_a_configured_entry_Then_only_a_plain_http_base_is_valid(string entry, bool valid) =>
        Assert.Equal(valid, OutboundUrls.IsValidEntry(entry));
}
