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
    /// <summary>Patients deceased by the as-of date: not screened, so left out of every figure.</summary>
    public int DeceasedLeftOut { get; init; }

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
            $"Cohort evaluation as of {AsOf:yyyy-MM-dd}; engine {Engine}; "
                + $"operating threshold (moderate) p >= {F(OperatingThreshold, "0.000")}"
        );
        text.AppendLine(
            "Positives: HF not yet diagnosed at the as-of date; negatives: no HF. "
                + $"95 % CI: percentile bootstrap, {BinaryMetrics.BootstrapResamples} resamples."
        );
        text.AppendLine(
            CultureInfo.InvariantCulture,
            $"Deceased by the as-of date (not screened), left out: {DeceasedLeftOut}."
        );
        text.AppendLine();
        text.AppendLine(
            Row(
                "group",
                "component",
                "n",
                "pos",
                "AUROC (95 % CI)",
                "AUPRC (95 % CI)",
                "Brier",
                "sens @ spec 0.90 (95 % CI)",
                "sens / spec / PPV / NPV at threshold",
                "combined AUPRC gain (paired 95 % CI)"
            )
        );
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var m in Metrics)
        {
            var point = m.AtOperatingThreshold is { } p
                ? string.Join(
                    " / ",
                    F(p.Sensitivity, "0.000"),
                    F(p.Specificity, "0.000"),
                    F(p.Ppv, "0.000"),
                    F(p.Npv, "0.000")
                )
                : "";
            text.AppendLine(
                Row(
                    m.Group,
                    m.Component,
                    I(m.Patients),
                    I(m.Positives),
                    m.Auroc.ToString(),
                    m.Auprc.ToString(),
                    F(m.Brier, "0.000"),
                    m.SensitivityAtSpecificity90.ToString(),
                    point,
                    m.CombinedAuprcGain?.ToString() ?? ""
                )
            );
        }
        text.AppendLine();
        text.AppendLine("Lead time: diagnosed patients screened at cut dates before their recorded diagnosis.");
        text.AppendLine(
            Row(
                "component",
                "n",
                "flagged 1 / 3 / 6 / 12 / 24 months before",
                "flagged at any cut",
                "median months before diagnosis (flagged)"
            )
        );
        text.AppendLine("|---|---|---|---|---|");
        foreach (var lead in LeadTimes)
        {
            var shares = string.Join(
                " / ",
                ShownMonths.Select(m => lead.FlaggedShareByMonthsBefore.TryGetValue(m, out var s) ? F(s, "0.00") : "-")
            );
            text.AppendLine(
                Row(
                    lead.Component,
                    I(lead.Patients),
                    shares,
                    I(lead.FlaggedAtAnyCut),
                    F(lead.MedianMonthsAmongFlagged, "0.#")
                )
            );
        }
        return text.ToString();
    }

    private static string Row(params string[] cells) => "| " + string.Join(" | ", cells) + " |";

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);

    public static ComponentMetrics Measure(
        string group,
        string component,
        IReadOnlyList<int> labels,
        IReadOnlyList<double> scores,
        double? threshold,
        IReadOnlyList<double>? combined = null
    ) =>
        new(
            group,
            component,
            labels.Count,
            labels.Count(l => l == 1),
            BinaryMetrics.Bootstrap(labels, scores, BinaryMetrics.Auroc),
            BinaryMetrics.Bootstrap(labels, scores, BinaryMetrics.AveragePrecision),
            Math.Round(BinaryMetrics.Brier(labels, scores), 4),
            BinaryMetrics.Bootstrap(labels, scores, SensitivityAtSpecificity90),
            threshold is { } t ? BinaryMetrics.At(labels, scores, t) : null
        )
        {
            CombinedAuprcGain = combined is null
                ? null
                : BinaryMetrics.PairedDifference(labels, combined, scores, BinaryMetrics.AveragePrecision),
        };

    private static double SensitivityAtSpecificity90(IReadOnlyList<int> labels, IReadOnlyList<double> scores) =>
        BinaryMetrics.SensitivityAtSpecificity(labels, scores, 0.90);
}
