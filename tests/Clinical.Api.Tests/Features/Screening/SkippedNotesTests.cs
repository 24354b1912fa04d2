using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Clinical.Api.Features.Screening;
using Clinical.Fhir.Extraction;
using Clinical.Fhir.Output;
using Clinical.Fhir.Parsing;
using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;

namespace Clinical.Api.Tests.Features.Screening;

/// <summary>
/// Notes that are not scored are reported, one warning each, and never reach the classifier (issue 16).
/// </summary>
public sealed class SkippedNotesTests(ClinicalApiFactory factory) : IClassFixture<ClinicalApiFactory>
{
    private static string Document(string id, string attachment) =>
        "{\"resource\":{\"resourceType\":\"DocumentReference\",\"id\":\""
        + id
        + "\",\"status\":\"current\",\"subject\":{\"reference\":\"Patient/sk\"},"
        + "\"date\":\"2026-05-01T10:00:00Z\",\"content\":[{\"attachment\":"
        + attachment
        + "}]}}";

    private static string Text(string text) =>
        "{\"contentType\":\"text/plain\",\"data\":\"" + Convert.ToBase64String(Encoding.UTF8.GetBytes(text)) + "\"}";

    private static readonly string Bundle =
        """{"resourceType":"Bundle","type":"collection","entry":["""
        + """{"resource":{"resourceType":"Patient","id":"sk","gender":"female","birthDate":"1950-02-03"}},"""
        + Document("pdf", """{"contentType":"application/pdf","data":"JVBERi0xLjQK"}""")
        + ","
        + Document("url", """{"contentType":"text/plain","url":"https://ehr.example/notes/1"}""")
        + ","
        + Document("big", Text("disnea " + new string('x', 200_001)))
        + ","
        + Document("ru", Text("Пациент жалуется на одышку при нагрузке и отёки лодыжек; ортопноэ отрицает."))
        + ","
        + Document("zh", Text("患者自述劳力性呼吸困难三个月，否认端坐呼吸，踝部水肿。"))
        + ","
        + Document("es", Text("Refiere disnea de esfuerzo desde hace tres meses y edemas en los tobillos."))
        + "]}";

    [Fact]
    public async Task Given_notes_that_are_not_scored_When_screened_Then_each_is_a_warning_naming_it()
    {
        using var client = factory.CreateFhirClient();

        using var response = await client.PostAsync(
            new Uri("/fhir/Bundle/$hf-screen?asOf=2026-06-30", UriKind.Relative),
            new StringContent(Bundle, Encoding.UTF8, new MediaTypeHeaderValue("application/fhir+json"))
        );

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bundle = FhirJson.Deserialize<Bundle>(await response.Content.ReadAsStringAsync());
        var warnings = bundle
            .Entry.Select(e => e.Resource)
            .OfType<OperationOutcome>()
            .SelectMany(o => o.Issue)
            .Where(i => i.Severity == OperationOutcome.IssueSeverity.Warning)
            .Select(i => i.Diagnostics ?? "")
            .ToList();
        Assert.Contains(warnings, w => w.Contains("DocumentReference/pdf:", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("DocumentReference/url:", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("DocumentReference/big:", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("DocumentReference/ru:", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("DocumentReference/zh:", StringComparison.Ordinal));
        Assert.DoesNotContain(warnings, w => w.Contains("DocumentReference/es:", StringComparison.Ordinal));
    }

    [Fact]
    public void Given_Russian_Chinese_and_Spanish_notes_When_mapped_to_risk_input_Then_only_Spanish_is_scored()
    {
        var parsed = new FhirInputReader().Read(Bundle, "skipped.json");
        var record = Assert.Single(
            new PatientRecordExtractor().Extract(parsed.Resources, new DateOnly(2026, 6, 30), "skipped.json").Patients
        );

        var scored = ScreeningMapping.ToRiskInput(record).Notes;

        Assert.Equal(["DocumentReference/es"], scored.Select(n => n.Source));
    }
}
