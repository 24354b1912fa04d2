using System.Text;
using System.Text.Json.Nodes;

namespace Clinical.Fuzz.Targets;

/// <summary>
/// Structured FHIR JSON for the reader targets: a patient with observations, notes and conditions whose values are
/// drawn from edge cases (dates that do not exist, units, negative and huge numbers, charsets, languages, duplicate
/// ids, lone surrogates), so that generated inputs get past the JSON syntax to the rules behind it.
/// </summary>
internal static class FhirInputs
{
    private static readonly string[] Dates =
    [
        "2026-01-10",
        "0000-00-00",
        "0001-01-01",
        "2090-02-30",
        "1800",
        "2026-06",
        "2026-06-30T25:61:00Z",
        "2026-01-10T10:00:00+14:00",
        "",
        "\\ud800",
        "99999-01-01",
    ];

    private static readonly string[] Units = ["pg/mL", "pmol/L", "ng/L", "", "%", "kg", "mm[Hg]", "\u2212", "\\udfff"];

    private static readonly string[] Loinc =
    [
        "33762-6",
        "30934-4",
        "71425-3",
        "10230-1",
        "8480-6",
        "29463-7",
        "85354-9",
        "x",
    ];

    private static readonly string[] ContentTypes =
    [
        "text/plain",
        "text/html",
        "application/pdf",
        "text/plain; charset=iso-8859-1",
        "text/plain; charset=windows-1252",
        "text/plain; charset=x-unknown",
        "text/markdown; charset=utf-16",
        "",
    ];

    private static readonly string[] Texts =
    [
        "Refiere disnea de esfuerzo y edemas maleolares; niega ortopnea.",
        "Pacient amb dispnea d'esforç i edemes mal·leolars.",
        "Пациент жалуется на одышку.",
        "患者自述劳力性呼吸困难。",
        "<p>Disnea <b>de</b> esfuerzo</p><script>x</script>",
        "",
        "no edemas. no disnea. HTA.",
    ];

    private static readonly string[] Ids = ["p", "p", "o1", "o1", "d", "-", "a.b", new string('x', 70), ""];

    public static T Pick<T>(Random random, T[] values) => values[random.Next(values.Length)];

    public static byte[] Bundle(Random random)
    {
        var entries = new JsonArray();
        var patientId = Pick(random, Ids);
        var patients = 1 + random.Next(2);
        for (var i = 0; i < patients; i++)
            entries.Add(Entry(Patient(random, patientId)));
        for (var i = random.Next(6); i > 0; i--)
            entries.Add(Entry(Observation(random, patientId)));
        for (var i = random.Next(4); i > 0; i--)
            entries.Add(Entry(Note(random, patientId)));
        if (random.Next(3) == 0)
            entries.Add(Entry(Condition(random, patientId)));
        var bundle = new JsonObject
        {
            ["resourceType"] = "Bundle",
            ["type"] = random.Next(4) == 0 ? "searchset" : "collection",
            ["entry"] = entries,
        };
        return Unescape(bundle.ToJsonString());
    }

    public static JsonObject Entry(JsonObject resource) => new() { ["resource"] = resource };

    public static JsonObject Patient(Random random, string id) =>
        new()
        {
            ["resourceType"] = "Patient",
            ["id"] = id,
            ["gender"] = Pick(random, ["female", "male", "other", "unknown", "x"]),
            ["birthDate"] = Pick(random, Dates),
            ["name"] = new JsonArray(new JsonObject { ["family"] = Pick(random, ["Ficticia", "Ficticio \\ud800"]) }),
        };

    public static JsonObject Observation(Random random, string patientId) =>
        new()
        {
            ["resourceType"] = "Observation",
            ["id"] = Pick(random, Ids),
            ["status"] = Pick(random, ["final", "amended", "entered-in-error", "preliminary"]),
            ["code"] = new JsonObject
            {
                ["coding"] = new JsonArray(
                    new JsonObject { ["system"] = "http://loinc.org", ["code"] = Pick(random, Loinc) }
                ),
            },
            ["subject"] = new JsonObject { ["reference"] = $"Patient/{patientId}" },
            ["effectiveDateTime"] = Pick(random, Dates),
            ["valueQuantity"] = new JsonObject
            {
                ["value"] = Pick(random, [-870.2m, 0m, 870m, 1e20m, 102.9m, 0.0001m]),
                ["unit"] = Pick(random, Units),
                ["system"] = "http://unitsofmeasure.org",
                ["code"] = Pick(random, Units),
            },
        };

    public static JsonObject Note(Random random, string patientId)
    {
        var text = Pick(random, Texts);
        var contentType = Pick(random, ContentTypes);
        byte[] bytes = random.Next(5) switch
        {
            0 => [.. Enumerable.Range(0, random.Next(64)).Select(_ => (byte)random.Next(256))],
            1 => Encoding.Latin1.GetBytes(text),
            _ => Encoding.UTF8.GetBytes(text),
        };
        var attachment = new JsonObject { ["contentType"] = contentType };
        if (random.Next(6) == 0)
            attachment["url"] = "https://ehr.example/notes/1";
        else
            attachment["data"] = Convert.ToBase64String(bytes);
        if (random.Next(4) == 0)
            attachment["language"] = Pick(random, ["es", "ca", "ru", "zh", "en-GB", "x"]);
        return new JsonObject
        {
            ["resourceType"] = Pick(random, ["DocumentReference", "DocumentReference", "DiagnosticReport"]),
            ["id"] = Pick(random, Ids),
            ["status"] = Pick(random, ["current", "final", "entered-in-error"]),
            ["subject"] = new JsonObject { ["reference"] = $"Patient/{patientId}" },
            ["date"] = Pick(random, ["2026-05-01T10:00:00Z", "0001-01-01T00:00:00Z"]),
            ["content"] = new JsonArray(new JsonObject { ["attachment"] = attachment }),
        };
    }

    public static JsonObject Condition(Random random, string patientId) =>
        new()
        {
            ["resourceType"] = "Condition",
            ["id"] = Pick(random, Ids),
            ["subject"] = new JsonObject { ["reference"] = $"Patient/{patientId}" },
            ["code"] = new JsonObject
            {
                ["coding"] = new JsonArray(
                    new JsonObject
                    {
                        ["system"] = Pick(random, ["http://hl7.org/fhir/sid/icd-10", "http://snomed.info/sct"]),
                        ["code"] = Pick(random, ["I50.9", "I10", "84114007", "E11"]),
                    }
                ),
            },
            ["onsetDateTime"] = Pick(random, Dates),
        };

    /// <summary>JsonNode escapes a backslash; the generator's "\\ud800" strings are meant as JSON escapes.</summary>
    public static byte[] Unescape(string json) =>
        Encoding.UTF8.GetBytes(json.Replace("\\\\u", "\\u", StringComparison.Ordinal));
}
