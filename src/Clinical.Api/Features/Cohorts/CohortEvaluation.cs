using System.Globalization;
using System.Text;
using System.Text.Json;
using Clinical.Models.Evaluation;

namespace Clinical.Api.Features.Cohorts;

/// <summary>
/// One component's (or the combination's) metrics on one group of patients, with bootstrap 95 % intervals.
/// </summary>
public sealed record ComponentMetrics(
    string Group,
    string Component,
    int Patients,
    int Positives,
    Interval Auroc,
    Interval Auprc,
    double Brier,
    Interval SensitivityAtSpecificity90,
    OperatingPoint? AtOperatingThreshold
)
{
    /// <summary>
    /// Combined AUPRC minus this component's, paired bootstrap over the same patients (null for the combination
    /// itself).
    /// </summary>
    public Interval? CombinedAuprcGain { get; init; }
}

/// <summary>How long before the recorded diagnosis diagnosed patients would have been flagged.</summary>
public sealed record LeadTime(
    string Component,
    int Patients,
    IReadOnlyDictionary<int, double> FlaggedShareByMonthsBefore,
    double MedianMonthsAmongFlagged,
    int FlaggedAtAnyCut
);

public sealed record CohortEvaluation(
    DateOnly AsOf,
    string Engine,
    double OperatingThreshold,
    IReadOnlyList<ComponentMetrics> Metrics,
    IReadOnlyList<LeadTime> LeadTimes
)
{
    private static readonly int[] ShownMonths = [1, 3, 6, 12, 24];
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public string ToText()
    {
        var text = new StringBuilder();
        text.AppendLine(
            CultureInfo.InvariantCulture,
            $"Cohort evaluation as of {AsOf:yyyy-MM-dd}; engine {Engine}; operating threshold (moderate) p >= {OperatingThreshold.ToString("0.000", CultureInfo.InvariantCulture)}"
        );
        text.AppendLine(
            "Positives: HF not yet diagnosed at the as-of date; negatives: no HF. 95 % CI: percentile bootstrap, 1000 resamples."
        );
        text.AppendLine();
        text.AppendLine(
            "| group | component | n | pos | AUROC (95 % CI) | AUPRC (95 % CI) | Brier | sens @ spec 0.90 (95 % CI) | sens / spec / PPV / NPV at threshold | combined AUPRC gain (paired 95 % CI) |"
        );
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var m in Metrics)
        {
            var point = m.AtOperatingThreshold is { } p
                ? FormattableString.Invariant(
                    $"{p.Sensitivity:0.000} / {p.Specificity:0.000} / {p.Ppv:0.000} / {p.Npv:0.000}"
                )
                : "";
            text.AppendLine(
                FormattableString.Invariant(
                    $"| {m.Group} | {m.Component} | {m.Patients} | {m.Positives} | {m.Auroc} | {m.Auprc} | {m.Brier:0.000} | {m.SensitivityAtSpecificity90} | {point} | {m.CombinedAuprcGain?.ToString() ?? ""} |"
                )
            );
        }
        text.AppendLine();
        text.AppendLine("Lead time: diagnosed patients screened at cut dates before their recorded diagnosis.");
        text.AppendLine(
            "| component | n | flagged 1 / 3 / 6 / 12 / 24 months before | flagged at any cut | median months before diagnosis (flagged) |"
        );
        text.AppendLine("|---|---|---|---|---|");
        foreach (var lead in LeadTimes)
        {
            var shares = string.Join(
                " / ",
                ShownMonths.Select(m =>
                    lead.FlaggedShareByMonthsBefore.TryGetValue(m, out var s)
                        ? s.ToString("0.00", CultureInfo.InvariantCulture)
                        : "-"
                )
            );
            text.AppendLine(
                FormattableString.Invariant(
                    $"| {lead.Component} | {lead.Patients} | {shares} | {lead.FlaggedAtAnyCut} | {lead.MedianMonthsAmongFlagged:0.#} |"
                )
            );
        }
        return text.ToString();
    }

    public static ComponentMetrics Measure(
        string group,
        string component,
        IReadOnlyList<double> scores,
        IReadOnlyList<bool> labels,
        double? threshold,
        IReadOnlyList<double>? combined = null
    )
    {
        return new ComponentMetrics(
            group,
            component,
            labels.Count,
            labels.Count(l => l),
            ResampledMetrics.Bootstrap(scores, labels, ResampledMetrics.Auroc),
            ResampledMetrics.Bootstrap(scores, labels, ResampledMetrics.Auprc),
            Math.Round(ResampledMetrics.Brier(scores, labels), 4),
            ResampledMetrics.Bootstrap(scores, labels, SensitivityAtSpecificity90),
            threshold is { } t ? ResampledMetrics.At(scores, labels, t) : null
        )
        {
            CombinedAuprcGain = combined is null
                ? null
                : ResampledMetrics.PairedDifference(combined, scores, labels, ResampledMetrics.Auprc),
        };
    }

    /// <summary>Sensitivity at the threshold that keeps 90 % of negatives below it.</summary>
    public static double SensitivityAtSpecificity90(IReadOnlyList<double> scores, IReadOnlyList<bool> labels)
    {
        var negatives = Enumerable
            .Range(0, scores.Count)
            .Where(i => !labels[i])
            .Select(i => scores[i])
            .OrderBy(s => s)
            .ToArray();
        var positives = Enumerable.Range(0, scores.Count).Where(i => labels[i]).Select(i => scores[i]).ToArray();
        if (negatives.Length == 0 || positives.Length == 0)
            return double.NaN;
        var cut = negatives[Math.Min(negatives.Length - 1, (int)Math.Ceiling(0.9 * negatives.Length) - 1)];
        return positives.Count(p => p > cut) / (double)positives.Length;
    }
}
