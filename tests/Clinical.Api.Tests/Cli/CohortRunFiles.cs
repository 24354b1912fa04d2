using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Clinical.Api.Features.Cohorts.Runs;
using Clinical.Synthetic;
using Microsoft.Data.Sqlite;

namespace Clinical.Api.Tests.Cli;

/// <summary>
/// A cohort run's outputs as two runs of the same cohort under the same run id must agree on them: every file byte for
/// byte, and every stored row, once the instant each run carries (its start) is masked. The manifest is compared
/// without its URLs and request (they name the folder), summary.json by its tallies.
/// </summary>
internal static partial class CohortRunFiles
{
    public static readonly string[] Listed =
    [
        CohortFiles.DocumentReference,
        CohortFiles.Flag,
        CohortFiles.OperationOutcome,
        CohortFiles.Provenance,
        CohortFiles.RiskAssessment,
        CohortFiles.FlaggedCsv,
        CohortFiles.Manifest,
        CohortFiles.Summary,
    ];

    /// <summary>A generated Bulk Data export (NDJSON) of <paramref name="patients"/> patients.</summary>
    public static string Generate(string folder, int patients, long seed = 20260630)
    {
        new CohortGenerator(
            new CohortOptions(Patients: patients, Seed: seed, Format: CohortFormat.Ndjson, HfShare: 0.3)
        ).WriteTo(folder);
        return folder;
    }

    /// <summary>
    /// Overwrites the first two characters of the first "display" text of an NDJSON file with 0xC3 0x28, a UTF-8
    /// lead byte followed by ASCII: that line is no longer UTF-8, the others are untouched. Returns its line number.
    /// </summary>
    public static int BreakUtf8(string file)
    {
        var bytes = File.ReadAllBytes(file);
        var at = bytes.AsSpan().IndexOf("\"display\":\""u8) + "\"display\":\"".Length;
        (bytes[at], bytes[at + 1]) = (0xC3, 0x28);
        File.WriteAllBytes(file, bytes);
        return bytes.AsSpan(0, at).Count((byte)'\n') + 1;
    }

    public static SortedDictionary<string, string> Outputs(string folder)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFileSystemEntries(folder).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(path);
            var text = File.ReadAllText(path);
            files[name] = name switch
            {
                CohortFiles.Manifest => Manifest(text),
                CohortFiles.Summary => Summary(text),
                _ => Mask(text),
            };
        }
        return files;
    }

    /// <summary>Each stored row of the run (by patient) with everything it holds, instants masked.</summary>
    public static List<string> StoredRows(string database, string runId)
    {
        using var connection = OpenExisting(database);
        using var command = connection.CreateCommand();
        command.CommandText =
            "SELECT Id, PatientReference, AsOf, Probability, QualitativeRisk, Flagged, FlagId, FlagStatus, "
            + "RiskAssessmentJson, FlagJson, ProvenanceJson, SummaryJson FROM Screenings WHERE RunId = $run "
            + "ORDER BY PatientReference";
        command.Parameters.AddWithValue("$run", runId);
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            var values = Enumerable
                .Range(0, reader.FieldCount)
                .Select(i =>
                    reader.IsDBNull(i)
                        ? "null"
                        : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)
                );
            rows.Add(Mask(string.Join(" | ", values)));
        }
        return rows;
    }

    public static long Count(string database, string sql)
    {
        using var connection = OpenExisting(database);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    public static string[] Lines(string folder, string file) =>
        File.ReadAllLines(Path.Combine(folder, file)).Where(l => l.Length > 0).ToArray();

    /// <summary>
    /// Opens a database that exists, read-write: one left by a killed process may hold a hot journal that only a
    /// writer can roll back (read-only, SQLite answers "attempt to write a readonly database").
    /// </summary>
    private static SqliteConnection OpenExisting(string database)
    {
        var connection = new SqliteConnection($"Data Source={database};Mode=ReadWrite;Pooling=False");
        connection.Open();
        return connection;
    }

    private static string Mask(string text) => Instant().Replace(text, "<instant>");

    private static string Manifest(string json)
    {
        var manifest = JsonNode.Parse(json)!.AsObject();
        manifest.Remove("transactionTime");
        manifest.Remove("request");
        foreach (var list in new[] { "output", "error" })
        {
            foreach (var entry in manifest[list]!.AsArray())
                entry!.AsObject().Remove("url");
        }
        manifest["extension"]!.AsObject().Remove("summary");
        manifest["extension"]!.AsObject().Remove("flagged");
        return manifest.ToJsonString();
    }

    private static string Summary(string json)
    {
        using var summary = JsonDocument.Parse(json);
        return summary.RootElement.GetProperty("patients").GetRawText()
            + summary.RootElement.GetProperty("inputErrors").GetRawText();
    }

    [GeneratedRegex(@"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")]
    private static partial Regex Instant();
}
