using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Clinical.Synthetic.Output;

/// <summary>
/// The output folder: bundles/{patientId}.json or one NDJSON file per resource type with a
/// Bulk Data style manifest.json, plus truth.ndjson and summary.json. Patients arrive serialized and in index order.
/// </summary>
internal sealed class CohortFolder : IDisposable
{
    public const string TruthFile = "truth.ndjson";
    public const string SummaryFile = "summary.json";
    public const string ManifestFile = "manifest.json";
    public const string BundlesFolder = "bundles";

    private static readonly JsonWriterOptions LineOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
    private readonly string _directory;
    private readonly CohortOptions _options;
    private readonly FileStream _truth;
    private readonly SortedDictionary<string, (FileStream Stream, long Count)> _ndjson = new(StringComparer.Ordinal);

    public CohortFolder(string directory, CohortOptions options)
    {
        _directory = directory;
        _options = options;
        Directory.CreateDirectory(directory);
        if (options.Format == CohortFormat.Bundles)
        {
            Directory.CreateDirectory(Path.Combine(directory, BundlesFolder));
        }
        _truth = Create(TruthFile);
    }

    public void Write(SerializedPatient patient)
    {
        if (_options.Format == CohortFormat.Bundles)
        {
            File.WriteAllBytes(
                Path.Combine(_directory, BundlesFolder, patient.Truth.PatientId + ".json"),
                patient.Bundle!
            );
        }
        else
        {
            foreach (var (type, line) in patient.Lines!)
            {
                if (!_ndjson.TryGetValue(type, out var file))
                {
                    file = (Create(type + ".ndjson"), 0);
                }
                file.Stream.Write(line);
                file.Stream.WriteByte((byte)'\n');
                _ndjson[type] = (file.Stream, file.Count + 1);
            }
        }
        _truth.Write(TruthLine(patient.Truth));
        _truth.WriteByte((byte)'\n');
    }

    public void Complete(CohortSummary summary)
    {
        File.WriteAllText(Path.Combine(_directory, SummaryFile), summary.ToJson() + "\n", new UTF8Encoding(false));
        if (_options.Format == CohortFormat.Ndjson)
        {
            File.WriteAllBytes(Path.Combine(_directory, ManifestFile), Manifest());
        }
    }

    private byte[] Manifest()
    {
        using var buffer = new MemoryStream();
        using (
            var json = new Utf8JsonWriter(
                buffer,
                new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }
            )
        )
        {
            json.WriteStartObject();
            json.WriteString(
                "transactionTime",
                _options.AsOfDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T23:59:59Z"
            );
            json.WriteString(
                "request",
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"urn:synthetic:generate-cohort?patients={_options.Patients}&seed={_options.Seed}"
                        + $"&asOf={_options.AsOfDate:yyyy-MM-dd}"
                )
            );
            json.WriteBoolean("requiresAccessToken", false);
            json.WriteStartArray("output");
            foreach (var (type, file) in _ndjson)
            {
                json.WriteStartObject();
                json.WriteString("type", type);
                json.WriteString("url", type + ".ndjson");
                json.WriteNumber("count", file.Count);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("error");
            json.WriteEndArray();
            json.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    internal static byte[] TruthLine(PatientTruth truth)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, LineOptions))
        {
            json.WriteStartObject();
            json.WriteString("patientId", truth.PatientId);
            json.WriteString("hfStatus", truth.HfStatus.ToString().ToLowerInvariant());
            WriteDate(json, "onsetDate", truth.OnsetDate);
            WriteDate(json, "diagnosisDate", truth.DiagnosisDate);
            if (truth.Phenotype is { } phenotype)
            {
                json.WriteString("phenotype", phenotype.ToString());
            }
            else
            {
                json.WriteNull("phenotype");
            }
            json.WriteStartArray("comorbidities");
            foreach (var c in truth.Comorbidities)
            {
                json.WriteStringValue(c.ToString());
            }
            json.WriteEndArray();
            json.WriteStartArray("mimics");
            foreach (var m in truth.Mimics)
            {
                json.WriteStringValue(m.ToString());
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static void WriteDate(Utf8JsonWriter json, string name, DateOnly? date)
    {
        if (date is { } d)
        {
            json.WriteString(name, d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private FileStream Create(string name) =>
        new(Path.Combine(_directory, name), FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);

    public void Dispose()
    {
        _truth.Dispose();
        foreach (var (stream, _) in _ndjson.Values)
        {
            stream.Dispose();
        }
    }
}

/// <summary>A patient already turned into bytes: one Bundle, or NDJSON lines tagged with their resource type.</summary>
internal sealed record SerializedPatient(
    PatientTruth Truth,
    byte[]? Bundle,
    IReadOnlyList<(string Type, byte[] Line)>? Lines
);
