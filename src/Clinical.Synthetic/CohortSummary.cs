using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Clinical.Fhir.Extraction;

namespace Clinical.Synthetic;

public sealed record ShareWithTarget(string Name, int Count, double Share, double? Target);

public sealed record NtProBnpDistribution(
    HfStatus HfStatus,
    int Patients,
    double? Median,
    double? LowerQuartile,
    double? UpperQuartile
);

public sealed record ResourceCount(string ResourceType, long Count);

/// <summary>
/// What a generated cohort contains, against the targets it was generated from. NT-proBNP is the latest value per
/// patient in pg/mL.
/// </summary>
public sealed record CohortSummary(
    int Patients,
    long Seed,
    DateOnly AsOf,
    CohortFormat Format,
    double HfTarget,
    IReadOnlyList<ShareWithTarget> HfStatus,
    double HfAged75PlusShare,
    IReadOnlyList<ShareWithTarget> Comorbidities,
    IReadOnlyList<ShareWithTarget> Mimics,
    IReadOnlyList<ShareWithTarget> NotesByLanguage,
    IReadOnlyList<NtProBnpDistribution> NtProBnp,
    IReadOnlyList<ResourceCount> Resources
)
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public string ToText()
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.AppendLine(c, $"Synthetic cohort: {Patients} patients, seed {Seed}, as of {AsOf:yyyy-MM-dd}, {Format}");
        text.AppendLine(
            c,
            $"HF (target share {HfTarget:P1}); share of HF among those aged 75+: {HfAged75PlusShare:P1}"
        );
        Table(text, HfStatus);
        text.AppendLine("Comorbidities");
        Table(text, Comorbidities);
        text.AppendLine("HF mimics");
        Table(text, Mimics);
        text.AppendLine("Notes by language");
        Table(text, NotesByLanguage);
        text.AppendLine("Latest NT-proBNP (pg/mL) by HF status: n, median [IQR]");
        foreach (var d in NtProBnp)
        {
            text.AppendLine(
                c,
                $"  {d.HfStatus, -12} {d.Patients, 7}  {d.Median?.ToString("0", c) ?? "-"} "
                    + $"[{d.LowerQuartile?.ToString("0", c) ?? "-"}–{d.UpperQuartile?.ToString("0", c) ?? "-"}]"
            );
        }
        text.AppendLine("Resources");
        foreach (var r in Resources)
        {
            text.AppendLine(c, $"  {r.ResourceType, -20} {r.Count, 10}");
        }
        return text.ToString();
    }

    private static void Table(StringBuilder text, IReadOnlyList<ShareWithTarget> rows)
    {
        foreach (var row in rows)
        {
            var target = row.Target is { } t ? t.ToString("P1", CultureInfo.InvariantCulture) : "-";
            text.AppendLine(
                CultureInfo.InvariantCulture,
                $"  {row.Name, -24} {row.Count, 8} {row.Share, 8:P1}   target {target}"
            );
        }
    }
}

/// <summary>
/// Accumulates a <see cref="CohortSummary"/> one patient at a time, keeping only counts and one number per patient.
/// </summary>
internal sealed class CohortTally(CohortOptions options)
{
    private readonly Dictionary<HfStatus, int> _status = [];
    private readonly Dictionary<ConditionCategory, int> _comorbidities = [];
    private readonly Dictionary<HfMimic, int> _mimics = [];
    private readonly Dictionary<NoteLanguage, int> _notes = [];
    private readonly Dictionary<HfStatus, List<double>> _ntProBnp = [];
    private readonly SortedDictionary<string, long> _resources = new(StringComparer.Ordinal);
    private int _patients;
    private int _aged75;
    private int _aged75WithHf;

    public void Add(SyntheticPatient patient)
    {
        var truth = patient.Truth;
        _patients++;
        Increment(_status, truth.HfStatus);
        foreach (var c in truth.Comorbidities)
        {
            Increment(_comorbidities, c);
        }
        foreach (var m in truth.Mimics)
        {
            Increment(_mimics, m);
        }
        foreach (var l in patient.NoteLanguages)
        {
            Increment(_notes, l);
        }
        if (patient.LatestNtProBnpPgPerMl is { } nt)
        {
            if (!_ntProBnp.TryGetValue(truth.HfStatus, out var values))
            {
                _ntProBnp[truth.HfStatus] = values = [];
            }
            values.Add(nt);
        }
        foreach (var resource in patient.Resources)
        {
            _resources[resource.TypeName] = _resources.GetValueOrDefault(resource.TypeName) + 1;
        }
        if (patient.AgeAtAsOf >= 75)
        {
            _aged75++;
            _aged75WithHf += truth.HfStatus == Synthetic.HfStatus.None ? 0 : 1;
        }
    }

    public CohortSummary Build()
    {
        var hfShare = options.EffectiveHfShare;
        var n = Math.Max(1, _patients);
        var notes = Math.Max(1, _notes.Values.Sum());
        return new CohortSummary(
            _patients,
            options.Seed,
            options.AsOfDate,
            options.Format,
            hfShare,
            [
                Row("None", _status.GetValueOrDefault(HfStatus.None), n, 1 - hfShare),
                Row(
                    "Undiagnosed",
                    _status.GetValueOrDefault(HfStatus.Undiagnosed),
                    n,
                    hfShare * options.UndiagnosedShare
                ),
                Row(
                    "Diagnosed",
                    _status.GetValueOrDefault(HfStatus.Diagnosed),
                    n,
                    hfShare * (1 - options.UndiagnosedShare)
                ),
            ],
            _aged75 == 0 ? 0 : _aged75WithHf / (double)_aged75,
            Epidemiology
                .GeneratedComorbidities.Select(c =>
                    Row(
                        c.ToString(),
                        _comorbidities.GetValueOrDefault(c),
                        n,
                        Epidemiology.ExpectedPrevalence(c, hfShare)
                    )
                )
                .ToList(),
            Enum.GetValues<HfMimic>().Select(m => Row(m.ToString(), _mimics.GetValueOrDefault(m), n, null)).ToList(),
            Enum.GetValues<NoteLanguage>()
                .Select(l =>
                    Row(
                        l.ToCode(),
                        _notes.GetValueOrDefault(l),
                        notes,
                        Epidemiology.ExpectedNoteShare(l, options.NoteLanguages)
                    )
                )
                .ToList(),
            Enum.GetValues<HfStatus>().Select(Distribution).ToList(),
            _resources.Select(kv => new ResourceCount(kv.Key, kv.Value)).ToList()
        );
    }

    private NtProBnpDistribution Distribution(HfStatus status)
    {
        if (!_ntProBnp.TryGetValue(status, out var values) || values.Count == 0)
        {
            return new NtProBnpDistribution(status, 0, null, null, null);
        }
        var sorted = values.Order().ToArray();
        return new NtProBnpDistribution(
            status,
            sorted.Length,
            Quantile(sorted, 0.5),
            Quantile(sorted, 0.25),
            Quantile(sorted, 0.75)
        );
    }

    private static double Quantile(double[] sorted, double q)
    {
        var position = (sorted.Length - 1) * q;
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        return Math.Round(sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower), 1);
    }

    private static ShareWithTarget Row(string name, int count, int total, double? target) =>
        new(name, count, Math.Round(count / (double)total, 4), target is { } t ? Math.Round(t, 4) : null);

    private static void Increment<T>(Dictionary<T, int> counts, T key)
        where T : notnull => counts[key] = counts.GetValueOrDefault(key) + 1;
}
