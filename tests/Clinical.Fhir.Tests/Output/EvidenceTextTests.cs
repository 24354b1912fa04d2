using Clinical.Fhir.Output;

namespace Clinical.Fhir.Tests.Output;

public sealed class EvidenceTextTests
{
    private static EvidenceItem Item(int i) => new($"Observation/o{i}", $"hallazgo {i}", null);

    [Fact]
    public void Given_evidence_When_formatted_Then_numbered_lines_name_the_source_and_a_note_span()
    {
        EvidenceItem[] evidence =
        [
            new("Observation/bnp", "NT-proBNP 870 pg/mL (12/03/2026)", null),
            new("DocumentReference/n", "Nota (05/03/2026): «edemas»", null, 110, 6),
        ];

        Assert.Equal(
            "Evidencia:\n1. NT-proBNP 870 pg/mL (12/03/2026) — Observation/bnp\n"
                + "2. Nota (05/03/2026): «edemas» — DocumentReference/n (caracteres 110–116)",
            EvidenceText.Markdown(evidence)
        );
    }

    [Fact]
    public void Given_more_evidence_than_shown_When_formatted_Then_the_rest_is_counted()
    {
        var text = EvidenceText.Markdown(Enumerable.Range(1, EvidenceText.Shown + 3).Select(Item).ToList());

        Assert.Contains($"\n{EvidenceText.Shown}. hallazgo {EvidenceText.Shown} — ", text, StringComparison.Ordinal);
        Assert.DoesNotContain($"hallazgo {EvidenceText.Shown + 1}", text, StringComparison.Ordinal);
        Assert.EndsWith("\n… y 3 más.", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_no_evidence_When_the_note_is_written_Then_it_is_the_explanation_alone()
    {
        var report = new ScreeningReport(
            "Patient/p",
            new DateOnly(2026, 6, 30),
            DateTimeOffset.UnixEpoch,
            0.02m,
            RiskLevel.Negligible,
            [],
            "rules=0.02",
            "Riesgo muy bajo.",
            new ModelIdentity("m", "1")
        );

        Assert.Equal("", EvidenceText.Markdown([]));
        Assert.Equal("Riesgo muy bajo.", EvidenceText.ExplanationAndEvidence(report));
        Assert.Equal(
            "Riesgo muy bajo.\n\nEvidencia:\n1. hallazgo 1 — Observation/o1",
            EvidenceText.ExplanationAndEvidence(report with { Evidence = [Item(1)] })
        );
    }
}
