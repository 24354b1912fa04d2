using Clinical.Fhir.Extraction;
using Clinical.Fhir.Parsing;
using Clinical.Tests;

namespace Clinical.Fhir.Tests.Extraction;

public sealed class PatientRecordExtractorTests
{
    private static readonly DateOnly AsOf = new(2026, 6, 30);

    private static PatientRecord Single(string json, DateOnly? asOf = null)
    {
        var parsed = new FhirInputReader().Read(json, "test.json");
        return Assert.Single(
            new PatientRecordExtractor().Extract(parsed.Resources, asOf ?? AsOf, "test.json").Patients
        );
    }

    private static string Bundle(params string[] resources) =>
        """{"resourceType":"Bundle","type":"collection","entry":["""
        + """{"fullUrl":"urn:uuid:00000000-0000-4000-8000-000000000001","resource":"""
        + """{"resourceType":"Patient","id":"p1","gender":"female","birthDate":"1950-07-01"}}"""
        + $$$"""{{{string.Concat(resources.Select(r => $",{{\"resource\":{r}}}"))}}}]}""";

    private static string Quantity(
        string loinc,
        decimal value,
        string unit,
        string date = "2026-01-10",
        string? comparator = null
    ) =>
        $$$"""
            {"resourceType":"Observation",
             "id":"o-{{{loinc}}}-{{{unit.Replace("/", "", StringComparison.Ordinal)}}}-{{{date}}}",
             "status":"final","code":{"coding":[{"system":"http://loinc.org","code":"{{{loinc}}}"}]},
             "subject":{"reference":"Patient/p1"},"effectiveDateTime":"{{{date}}}",
             "valueQuantity":{"value":{{{value.ToString(System.Globalization.CultureInfo.InvariantCulture)}}},
               {{{(comparator is null ? "" : $"\"comparator\":\"{comparator}\",")}}}"unit":"{{{unit}}}",
               "system":"http://unitsofmeasure.org","code":"{{{unit}}}"}}
            """;

    [Theory]
    [InlineData("33762-6", 450, "pg/mL", 450)]
    [InlineData("33762-6", 450, "ng/L", 450)]
    [InlineData("71425-3", 100, "pmol/L", 845.7)]
    [InlineData("30934-4", 10, "pmol/L", 34.67)]
    public void Given_a_natriuretic_peptide_in_any_unit_When_extracted_Then_it_is_in_pg_per_mL(
        string loinc,
        decimal value,
        string unit,
        decimal expected
    )
    {
        var record = Single(Bundle(Quantity(loinc, value, unit)));

        var peptide = Assert.Single(record.Measurements);
        Assert.Equal("pg/mL", peptide.Unit);
        Assert.Equal(expected, peptide.Value, 1);
        Assert.Equal(unit, peptide.OriginalUnit);
    }

    [Fact]
    public void Given_creatinine_in_micromoles_When_extracted_Then_it_is_in_mg_per_dL()
    {
        var record = Single(Bundle(Quantity("2160-0", 88.42m, "umol/L")));

        Assert.Equal(1.00m, Assert.Single(record.Of(MeasurementKind.Creatinine)).Value);
    }

    [Fact]
    public void Given_a_value_with_a_comparator_When_extracted_Then_the_comparator_is_kept()
    {
        var record = Single(Bundle(Quantity("33762-6", 35000, "pg/mL", comparator: ">")));

        Assert.Equal(">", Assert.Single(record.Measurements).Comparator);
    }

    [Fact]
    public void Given_a_fact_after_the_as_of_date_When_extracted_Then_it_is_not_known_yet()
    {
        var record = Single(
            Bundle(
                Quantity("33762-6", 900, "pg/mL", date: "2026-07-01"),
                Quantity("33762-6", 80, "pg/mL", date: "2026-06-30")
            )
        );

        Assert.Equal(80, Assert.Single(record.Measurements).Value);
        Assert.Equal(75, record.AgeYears);
    }

    [Fact]
    public void Given_a_blood_pressure_panel_When_extracted_Then_systolic_and_diastolic_components_are_both_read()
    {
        const string panel =
            """{"resourceType":"Observation","status":"final","code":{"coding":["""
            + """{"system":"http://loinc.org","code":"85354-9"}]},"subject":"""
            + """{"reference":"Patient/p1"},"effectiveDateTime":"2026-01-10","component":[{"code":{"coding":["""
            + """{"system":"http://loinc.org","code":"8480-6"}]},"valueQuantity":{"value":"""
            + """150,"unit":"mm[Hg]","system":"http://unitsofmeasure.org","code":"mm[Hg]"}},{"code":{"coding":["""
            + """{"system":"http://loinc.org","code":"8462-4"}]},"valueQuantity":{"value":"""
            + """90,"unit":"mm[Hg]","system":"http://unitsofmeasure.org","code":"mm[Hg]"}}]}""";

        var record = Single(Bundle(panel));

        Assert.Equal(150, Assert.Single(record.Of(MeasurementKind.SystolicBp)).Value);
        Assert.Equal(90, Assert.Single(record.Of(MeasurementKind.DiastolicBp)).Value);
    }

    [Theory]
    [InlineData("http://hl7.org/fhir/sid/icd-10", "I50.9", "confirmed", "active", true)]
    [InlineData("http://snomed.info/sct", "88805009", "confirmed", "active", true)]
    [InlineData("http://hl7.org/fhir/sid/icd-10", "I11.0", "confirmed", "active", true)]
    [InlineData("http://hl7.org/fhir/sid/icd-10", "I50.9", "refuted", "active", false)]
    [InlineData("http://hl7.org/fhir/sid/icd-10", "I50.9", "entered-in-error", "active", false)]
    [InlineData("http://hl7.org/fhir/sid/icd-10", "I50.9", "confirmed", "resolved", false)]
    public void Given_an_HF_condition_When_extracted_Then_only_confirmed_unresolved_ones_are_active_HF(
        string system,
        string code,
        string verification,
        string clinical,
        bool active
    )
    {
        var condition = $$$"""
            {"resourceType":"Condition",
             "clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical",
               "code":"{{{clinical}}}"}]},
             "verificationStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-ver-status",
               "code":"{{{verification}}}"}]},
             "code":{"coding":[{"system":"{{{system}}}","code":"{{{code}}}"}]},"subject":{"reference":"Patient/p1"}}
            """;

        var record = Single(Bundle(condition));

        Assert.Equal(ConditionCategory.HeartFailure, Assert.Single(record.Diagnoses).Category);
        Assert.Equal(active, record.ActiveHeartFailure.Any());
    }

    [Theory]
    [InlineData("http://www.whocc.no/atc", "C03CA01", "", DrugClass.LoopDiuretic)]
    [InlineData("http://www.nlm.nih.gov/research/umls/rxnorm", "9997", "", DrugClass.MineralocorticoidAntagonist)]
    [InlineData(
        "http://www.nlm.nih.gov/research/umls/rxnorm",
        "313988",
        "Furosemide 40 MG Oral Tablet",
        DrugClass.LoopDiuretic
    )]
    [InlineData("http://www.whocc.no/atc", "C09DX04", "", DrugClass.SacubitrilValsartan)]
    [InlineData("http://www.whocc.no/atc", "A10BK01", "", DrugClass.Sglt2Inhibitor)]
    public void Given_a_medication_coded_in_ATC_or_RxNorm_When_extracted_Then_its_HF_drug_class_is_known(
        string system,
        string code,
        string display,
        DrugClass expected
    )
    {
        var statement = $$"""
            {"resourceType":"MedicationStatement","status":"active",
             "medicationCodeableConcept":{"coding":[{"system":"{{system}}","code":"{{code}}"
               {{(display.Length > 0 ? $",\"display\":\"{display}\"" : "")}}}]},
             "subject":{"reference":"Patient/p1"},"effectiveDateTime":"2025-01-01"}
            """;

        var record = Single(Bundle(statement));

        Assert.Equal(expected, Assert.Single(record.Medications).Class);
    }

    [Fact]
    public void Given_the_fixture_with_a_Spanish_note_When_extracted_Then_the_note_text_language_and_source_are_kept()
    {
        var record = Single(FixtureFiles.Bundle(FixtureFiles.PossibleUndiagnosedHeartFailure));

        var note = Assert.Single(record.Notes);
        Assert.Contains("disnea de esfuerzo", note.Text, StringComparison.Ordinal);
        Assert.Equal("es", note.Language);
        Assert.True(note.LanguageDeclared);
        Assert.Equal("DocumentReference/fx-posible-nota", note.Source);
    }

    [Fact]
    public void Given_a_note_referenced_only_by_url_When_extracted_Then_it_is_recorded_as_unread_not_dropped()
    {
        const string document =
            """{"resourceType":"DocumentReference","id":"d1","status":"current","subject":"""
            + """{"reference":"Patient/p1"},"content":[{"attachment":"""
            + """{"contentType":"text/plain","url":"https://ehr.invalid/notes/1"}}]}""";

        var record = Single(Bundle(document));

        Assert.Empty(record.Notes);
        Assert.Contains("not retrieved", Assert.Single(record.UnreadNotes).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_two_patients_in_one_bundle_When_extracted_Then_each_gets_only_their_own_facts()
    {
        const string json = """
            {"resourceType":"Bundle","type":"collection","entry":[
              {"fullUrl":"urn:uuid:00000000-0000-4000-8000-000000000001",
                "resource":{"resourceType":"Patient","id":"a"}},
              {"fullUrl":"urn:uuid:00000000-0000-4000-8000-000000000002",
                "resource":{"resourceType":"Patient","id":"b"}},
              {"resource":{"resourceType":"Observation","status":"final",
                "code":{"coding":[{"system":"http://loinc.org","code":"33762-6"}]},
                "subject":{"reference":"urn:uuid:00000000-0000-4000-8000-000000000002"},
                "valueQuantity":{"value":500,"unit":"pg/mL"}}},
              {"resource":{"resourceType":"Observation","status":"final",
                "code":{"coding":[{"system":"http://loinc.org","code":"33762-6"}]},
                "subject":{"reference":"Patient/a"},"valueQuantity":{"value":50,"unit":"pg/mL"}}}]}
            """;
        var parsed = new FhirInputReader().Read(json, "two.json");

        var patients = new PatientRecordExtractor().Extract(parsed.Resources, AsOf, "two.json").Patients;

        Assert.Equal(50, Assert.Single(patients.Single(p => p.PatientReference == "Patient/a").Measurements).Value);
        Assert.Equal(500, Assert.Single(patients.Single(p => p.PatientReference == "Patient/b").Measurements).Value);
    }
}
