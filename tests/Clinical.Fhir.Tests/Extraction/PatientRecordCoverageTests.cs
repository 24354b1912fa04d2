using Clinical.Fhir.Extraction;
using Clinical.Fhir.Parsing;

namespace Clinical.Fhir.Tests.Extraction;

public sealed class PatientRecordCoverageTests
{
    private static readonly DateOnly AsOf = new(2026, 6, 30);

    private static PatientRecord Single(params string[] resources)
    {
        var entries = string.Concat(resources.Select(r => $",{{\"resource\":{r}}}"));
        var json =
            """{"resourceType":"Bundle","type":"collection","entry":["""
            + """{"fullUrl":"https://ehr.invalid/fhir/Patient/p1","resource":"""
            + $$$"""{"resourceType":"Patient","id":"p1"}}{{{entries}}}]}""";
        var parsed = new FhirInputReader().Read(json, "t.json");
        return Assert.Single(new PatientRecordExtractor().Extract(parsed.Resources, AsOf, "t.json").Patients);
    }

    [Theory]
    [InlineData("http://hl7.org/fhir/sid/icd-10", "I48.0", ConditionCategory.AtrialFibrillation)]
    [InlineData("http://snomed.info/sct", "49436004", ConditionCategory.AtrialFibrillation)]
    [InlineData("http://hl7.org/fhir/sid/icd-10", "I10", ConditionCategory.Hypertension)]
    [InlineData("http://hl7.org/fhir/sid/icd-10", "E11.9", ConditionCategory.Diabetes)]
    [InlineData("http://snomed.info/sct", "44054006", ConditionCategory.Diabetes)]
    [InlineData("http://hl7.org/fhir/sid/icd-10", "N18.3", ConditionCategory.ChronicKidneyDisease)]
    [InlineData("http://hl7.org/fhir/sid/icd-10", "I25.10", ConditionCategory.IschaemicHeartDisease)]
    [InlineData("http://snomed.info/sct", "22298006", ConditionCategory.IschaemicHeartDisease)]
    [InlineData("http://hl7.org/fhir/sid/icd-10", "J44.1", ConditionCategory.Copd)]
    [InlineData("http://hl7.org/fhir/sid/icd-10", "E66.0", ConditionCategory.Obesity)]
    [InlineData("http://hl7.org/fhir/sid/icd-10", "I35.0", ConditionCategory.ValveDisease)]
    [InlineData("http://hl7.org/fhir/sid/icd-10", "D50.9", ConditionCategory.Anaemia)]
    public void Given_a_comorbidity_code_When_extracted_Then_its_category_is_known(
        string system,
        string code,
        ConditionCategory expected
    )
    {
        var record = Single(
            """{"resourceType":"Condition","code":{"coding":["""
                + $$$"""{"system":"{{{system}}}","code":"{{{code}}}"}]},"subject":"""
                + """{"reference":"https://ehr.invalid/fhir/Patient/p1"}}"""
        );

        Assert.Equal(expected, Assert.Single(record.Diagnoses).Category);
    }

    [Theory]
    [InlineData("29463-7", 176.37, "[lb_av]", MeasurementKind.BodyWeight, 80.0, "kg")]
    [InlineData("718-7", 125, "g/L", MeasurementKind.Haemoglobin, 12.5, "g/dL")]
    [InlineData("10230-1", 38, "%", MeasurementKind.Lvef, 38, "%")]
    [InlineData("33914-3", 52, "mL/min/{1.73_m2}", MeasurementKind.Egfr, 52, "mL/min/1.73m2")]
    [InlineData("2823-3", 4.8, "mmol/L", MeasurementKind.Potassium, 4.8, "mmol/L")]
    [InlineData("8867-4", 92, "/min", MeasurementKind.HeartRate, 92, "/min")]
    public void Given_a_measurement_in_a_UCUM_unit_When_extracted_Then_it_is_normalised(
        string loinc,
        double value,
        string unit,
        MeasurementKind kind,
        double expected,
        string expectedUnit
    )
    {
        var record = Single(
            """{"resourceType":"Observation","status":"final","code":{"coding":["""
                + $$$"""{"system":"http://loinc.org","code":"{{{loinc}}}"}]},"subject":"""
                + """{"reference":"Patient/p1"},"effectiveDateTime":"2026-01-01","valueQuantity":"""
                + $$$"""{"value":{{{value.ToString(System.Globalization.CultureInfo.InvariantCulture)}}}"""
                + $$$""","system":"http://unitsofmeasure.org","code":"{{{unit}}}"}}"""
        );

        var measurement = Assert.Single(record.Of(kind));
        Assert.Equal((decimal)expected, measurement.Value, 1);
        Assert.Equal(expectedUnit, measurement.Unit);
    }

    [Fact]
    public void Given_a_unit_senseless_for_the_test_When_extracted_Then_the_value_is_unused_and_a_warning_says_why()
    {
        var json =
            """{"resourceType":"Bundle","type":"collection","entry":[{"resource":"""
            + """{"resourceType":"Patient","id":"p1"}},{"resource":"""
            + """{"resourceType":"Observation","status":"final","code":{"coding":["""
            + """{"system":"http://loinc.org","code":"33762-6"}]},"subject":"""
            + """{"reference":"Patient/p1"},"valueQuantity":{"value":3,"code":"mg/dL"}}}]}""";
        var parsed = new FhirInputReader().Read(json, "t.json");

        var extraction = new PatientRecordExtractor().Extract(parsed.Resources, AsOf, "t.json");

        Assert.Empty(Assert.Single(extraction.Patients).Measurements);
        Assert.Contains(extraction.Issues, i => i.Diagnostics.Contains("mg/dL", StringComparison.Ordinal));
    }

    [Fact]
    public void Given_an_encounter_with_a_reason_When_extracted_Then_the_visit_and_reason_are_kept()
    {
        var record = Single(
            """{"resourceType":"Encounter","id":"e1","status":"finished","class":"""
                + """{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"AMB"},"subject":"""
                + """{"reference":"Patient/p1"},"period":{"start":"2026-02-01T09:00:00Z"},"reasonCode":["""
                + """{"text":"Disnea"}]}"""
        );

        var visit = Assert.Single(record.Encounters);
        Assert.Equal("AMB", visit.Class);
        Assert.Equal("Disnea", Assert.Single(visit.Reasons));
        Assert.Equal("Encounter/e1", visit.Source);
    }

    [Fact]
    public void Given_a_MedicationRequest_referencing_a_Medication_When_extracted_Then_the_drug_class_comes_from_it()
    {
        var record = Single(
            """{"resourceType":"Medication","id":"m1","code":{"coding":["""
                + """{"system":"http://www.whocc.no/atc","code":"C03DA01","display":"espironolactona"}]}}""",
            """
            {"resourceType":"MedicationRequest","id":"r1","status":"active","intent":"order",
             "medicationReference":{"reference":"Medication/m1"},"subject":{"reference":"Patient/p1"},
             "authoredOn":"2026-01-10"}
            """
        );

        var use = Assert.Single(record.Medications);
        Assert.Equal(DrugClass.MineralocorticoidAntagonist, use.Class);
        Assert.Equal("MedicationRequest/r1", use.Source);
    }

    [Fact]
    public void Given_a_MedicationStatement_with_a_contained_Medication_When_extracted_Then_it_is_classified()
    {
        var record = Single(
            """{"resourceType":"MedicationStatement","id":"s1","contained":["""
                + """{"resourceType":"Medication","id":"med","code":"""
                + """{"text":"Dapagliflozina 10 mg"}}],"status":"active","medicationReference":"""
                + """{"reference":"#med"},"subject":{"reference":"Patient/p1"}}"""
        );

        Assert.Equal(DrugClass.Sglt2Inhibitor, Assert.Single(record.Medications).Class);
    }

    [Fact]
    public void Given_a_medication_entered_in_error_When_extracted_Then_it_is_ignored()
    {
        var record = Single(
            """{"resourceType":"MedicationStatement","status":"entered-in-error","medicationCodeableConcept":"""
                + """{"coding":[{"system":"http://www.whocc.no/atc","code":"C03CA01"}]},"subject":"""
                + """{"reference":"Patient/p1"}}"""
        );

        Assert.Empty(record.Medications);
    }
}
