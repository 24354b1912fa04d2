using System.Text;
using Clinical.Fhir.Extraction;
using Clinical.Fhir.Notes;
using Clinical.Fhir.Parsing;

namespace Clinical.Fhir.Tests.Notes;

public sealed class NoteExtractorTests
{
    private static PatientRecord Single(string json)
    {
        var parsed = new FhirInputReader().Read(json, "n.json");
        return Assert.Single(
            new PatientRecordExtractor().Extract(parsed.Resources, new DateOnly(2026, 6, 30), "n.json").Patients
        );
    }

    private static string WithPatient(string resource) =>
        """{"resourceType":"Bundle","type":"collection","entry":[{"resource":"""
        + $$$"""{"resourceType":"Patient","id":"p"}},{"resource":{{{resource}}}}]}""";

    private static string Base64(string text, string charset = "utf-8") =>
        Convert.ToBase64String(Encoding.GetEncoding(charset).GetBytes(text));

    [Fact]
    public void Given_an_html_attachment_When_extracted_Then_the_text_is_kept_without_markup()
    {
        var html = Base64("<p>Disnea de esfuerzo &amp; edemas</p><p>Sin ortopnea</p>");
        var record = Single(
            WithPatient(
                """{"resourceType":"DocumentReference","id":"d","status":"current","subject":"""
                    + """{"reference":"Patient/p"},"date":"2026-01-01T10:00:00Z","content":["""
                    + $$$"""{"attachment":{"contentType":"text/html","data":"{{{html}}}"}}]}"""
            )
        );

        Assert.Equal("Disnea de esfuerzo & edemas\nSin ortopnea", Assert.Single(record.Notes).Text);
    }

    [Fact]
    public void Given_a_latin1_attachment_When_extracted_Then_the_charset_is_honoured()
    {
        var data = Base64("Refiere disnea, niega ortopnea. Año 2026.", "iso-8859-1");
        var record = Single(
            WithPatient(
                """{"resourceType":"DocumentReference","id":"d","status":"current","subject":"""
                    + """{"reference":"Patient/p"},"content":[{"attachment":"""
                    + $$$"""{"contentType":"text/plain; charset=iso-8859-1","data":"{{{data}}}"}}]}"""
            )
        );

        Assert.Contains("Año", Assert.Single(record.Notes).Text, StringComparison.Ordinal);
    }

    private static PatientRecord WithAttachment(string contentType, byte[] bytes) =>
        Single(
            WithPatient(
                """{"resourceType":"DocumentReference","id":"d","status":"current","subject":"""
                    + """{"reference":"Patient/p"},"content":[{"attachment":"""
                    + $$$"""{"contentType":"{{{contentType}}}","data":"{{{Convert.ToBase64String(bytes)}}}"}}]}"""
            )
        );

    [Fact]
    public void Given_an_attachment_whose_bytes_are_not_UTF8_When_extracted_Then_it_is_unread_not_replaced()
    {
        // "Año" in ISO-8859-1 under the default (UTF-8) charset: 0xF1 is not UTF-8.
        var record = WithAttachment("text/plain", [.. "Refiere disnea. A"u8, 0xF1, .. "o 2026."u8]);

        Assert.Empty(record.Notes);
        Assert.Contains("not valid text", Assert.Single(record.UnreadNotes).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_windows_1252_attachment_When_extracted_Then_it_is_decoded_by_its_code_page()
    {
        // 0x93 and 0x94 are curly quotes in windows-1252 and C1 controls in ISO-8859-1.
        var record = WithAttachment("text/plain; charset=windows-1252", [.. "Dice "u8, 0x93, .. "ahogo"u8, 0x94]);

        Assert.Equal("Dice \u201Cahogo\u201D", Assert.Single(record.Notes).Text);
    }

    [Fact]
    public void Given_an_attachment_in_an_unknown_charset_When_extracted_Then_it_is_unread_and_says_so()
    {
        var record = WithAttachment("text/plain; charset=x-klingon", "Refiere disnea."u8.ToArray());

        Assert.Empty(record.Notes);
        Assert.Contains("x-klingon", Assert.Single(record.UnreadNotes).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_pdf_attachment_When_extracted_Then_it_is_recorded_as_skipped()
    {
        var record = Single(
            WithPatient(
                """{"resourceType":"DocumentReference","id":"d","status":"current","subject":"""
                    + """{"reference":"Patient/p"},"content":[{"attachment":"""
                    + """{"contentType":"application/pdf","data":"JVBERi0="}}]}"""
            )
        );

        Assert.Contains("application/pdf", Assert.Single(record.UnreadNotes).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_DiagnosticReport_When_extracted_Then_conclusion_and_presented_form_are_notes()
    {
        var form = Base64("Ecocardiograma: FEVI 38 %.");
        var record = Single(
            WithPatient(
                """{"resourceType":"DiagnosticReport","id":"r","status":"final","code":{"text":"Eco"},"subject":"""
                    + """{"reference":"Patient/p"},"effectiveDateTime":"2026-02-01","conclusion":"Disfunción """
                    + $$$"""sistólica moderada.","presentedForm":[{"contentType":"text/plain","data":"{{{form}}}"}]}"""
            )
        );

        Assert.Equal(
            ["DiagnosticReport.conclusion", "DiagnosticReport.presentedForm[0]"],
            record.Notes.Select(n => n.Origin).Order(StringComparer.Ordinal)
        );
        Assert.All(record.Notes, n => Assert.Equal("DiagnosticReport/r", n.Source));
    }

    [Fact]
    public void Given_a_document_Composition_When_extracted_Then_each_section_narrative_is_a_note()
    {
        var record = Single(
            WithPatient(
                """{"resourceType":"Composition","id":"c","status":"final","type":{"text":"Informe"},"subject":"""
                    + """{"reference":"Patient/p"},"date":"2026-03-01","author":["""
                    + """{"display":"Dra. X"}],"title":"Informe","section":[{"title":"Anamnesis","text":"""
                    + """{"status":"generated","div":"<div xmlns=\"http://www.w3.org/1999/xhtml\">Disnea de """
                    + """esfuerzo desde hace meses.</div>"}},{"title":"Plan","text":"""
                    + """{"status":"generated","div":"<div xmlns=\"http://www.w3.org/1999/xhtml\">Solicitar """
                    + """NT-proBNP.</div>"}}]}"""
            )
        );

        Assert.Equal(
            ["Anamnesis: Disnea de esfuerzo desde hace meses.", "Plan: Solicitar NT-proBNP."],
            record.Notes.Select(n => n.Text)
        );
    }

    [Fact]
    public void Given_an_oversized_note_When_extracted_Then_it_is_recorded_as_unread_with_the_limit()
    {
        var data = Base64(new string('x', 300_000));
        var record = Single(
            WithPatient(
                """{"resourceType":"DocumentReference","id":"d","status":"current","subject":"""
                    + """{"reference":"Patient/p"},"content":[{"attachment":"""
                    + $$$"""{"contentType":"text/plain","data":"{{{data}}}"}}]}"""
            )
        );

        Assert.Contains("limit", Assert.Single(record.UnreadNotes).Reason, StringComparison.Ordinal);
    }
}

public sealed class LanguageDetectorTests
{
    [Theory]
    [InlineData("Пациент жалуется на одышку при нагрузке и отёки лодыжек; ортопноэ отрицает. Control TA.")]
    [InlineData("患者自述劳力性呼吸困难三个月，否认端坐呼吸，踝部水肿。HTA, control en 4 meses.")]
    [InlineData("\uFFFD\uFFFDk\u0001\uFFFD disnea \uFFFD")]
    public void Given_a_note_not_in_Latin_script_text_When_detected_Then_it_is_undetermined(string text)
    {
        Assert.Equal(LanguageDetector.Undetermined, LanguageDetector.Detect(text).Language);
    }

    [Theory]
    [InlineData(
        "Paciente que refiere disnea de esfuerzo desde hace tres meses, niega ortopnea y presenta edemas en los "
            + "tobillos.",
        "es"
    )]
    [InlineData(
        "Pacient que refereix dispnea d'esforç des de fa tres mesos, nega ortopnea i té edemes als turmells.",
        "ca"
    )]
    [InlineData(
        "Paciente que refire dispnea de esforzo dende hai tres meses, nega ortopnea e ten edemas nos nocellos.",
        "gl"
    )]
    [InlineData("Gaixoak arnasestuka ahaleginean du duela hiru hilabete, ez du ortopnearik eta edemarik ez.", "eu")]
    [InlineData(
        "The patient reports dyspnea on exertion for three months and denies orthopnea; ankle swelling is present.",
        "en"
    )]
    [InlineData("Consulta por lesión cutánea. AP: HTA. AS: Na 141. O: no edemas.", "es")]
    [InlineData("Control TA. No edemas. Próximo control en 4 meses.", "es")]
    public void Given_a_note_in_one_of_five_languages_When_detected_Then_the_language_is_recognised(
        string text,
        string expected
    )
    {
        var (language, confidence) = LanguageDetector.Detect(text);

        Assert.Equal(expected, language);
        Assert.True(confidence >= 0.4, $"confidence {confidence}");
    }
}
