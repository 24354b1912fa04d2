using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Clinical.Models.Evaluation;

namespace Clinical.Models.Scoring;

/// <summary>
/// Each component's probability for one patient; null when the component was absent (no model, no notes).
/// </summary>
public sealed record ComponentProbabilities(double Rules, double? Tabular, double? Notes)
{
    /// <summary>
    /// Whether a natriuretic peptide of the last two years exists: the stack weighs the components differently without
    /// one.
    /// </summary>
    public bool RecentPeptide { get; init; } = true;

    public string Pattern => $"rules{(Tabular is null ? "" : "+tabular")}{(Notes is null ? "" : "+notes")}";

    public double[] Logits() =>
        new double?[] { Rules, Tabular, Notes }
            .Where(p => p is not null)
            .Select(p => LogisticFit.Logit(p!.Value))
            .ToArray();

    /// <summary>
    /// The component logits, then the same logits gated by the absence of a recent peptide (feature-weighted linear
    /// stacking, Sill et al., 2009).
    /// </summary>
    public double[] StackingInputs()
    {
        var logits = Logits();
        var gate = RecentPeptide ? 0.0 : 1.0;
        return [.. logits, gate, .. logits.Select(l => gate * l)];
    }
}

/// <summary>
/// A stacked logistic model for one set of available components, then Platt scaling (Platt, 1999) fitted on its
/// out-of-fold scores on dev.
/// </summary>
public sealed record StackingFit(
    string Pattern,
    double[] Weights,
    double PlattSlope,
    double PlattIntercept,
    int DevPatients
);

/// <summary>Qualitative cut-offs on the calibrated probability, chosen on dev for target sensitivities.</summary>
public sealed record RiskThresholds(double Negligible, double Moderate, double High, string ChosenBy)
{
    /// <summary>Decimals of the probability a RiskAssessment shows.</summary>
    public const int ShownDecimals = 4;

    /// <summary>
    /// The cut-offs at the resolution the probability is shown, rounded down (the flag keeps at least the sensitivity
    /// it was chosen for): a patient at or above a cut-off never shows a probability below it once rounded.
    /// </summary>
    public RiskThresholds AtShownResolution() =>
        this with
        {
            Negligible = RoundDown(Negligible),
            Moderate = RoundDown(Moderate),
            High = RoundDown(High),
        };

    private static double RoundDown(double cutOff) =>
        Math.Floor(cutOff * Math.Pow(10, ShownDecimals)) / Math.Pow(10, ShownDecimals);
}

/// <summary>
/// Combines rules, tabular and note-classifier probabilities into one calibrated probability. Fitted on a
/// dev split (stacking on all of dev, Platt scaling on 5-fold out-of-fold stacked scores) for every pattern of
/// available components; a
/// pattern not fitted falls back to the documented default, the mean of the available components' logits.
/// </summary>
public sealed class StackedCombiner(IReadOnlyList<StackingFit> fits, RiskThresholds thresholds)
{
    public const string FileName = "stacking.json";
    private const int SplitSeed = 17;
    private const int Folds = 5;

    /// <summary>
    /// Default cut-offs: the ESC rule's curve puts NT-proBNP 125 pg/mL at p ≈ 0.25 and 450 pg/mL at p ≈ 0.72.
    /// </summary>
    public static readonly StackedCombiner Default = new(
        [],
        new RiskThresholds(0.02, 0.25, 0.6, "documented default (ESC peptide curve)")
    );

    private static readonly JsonSerializerOptions Json = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public IReadOnlyList<StackingFit> Fits { get; } = fits;

    public RiskThresholds Thresholds { get; } = thresholds.AtShownResolution();

    /// <summary>
    /// The positive share of the dev split the stack and its Platt scaling were fitted on: the prevalence the combined
    /// probability assumes (a prior shift starts from it). Null for the documented default and for stacks saved
    /// before it was recorded.
    /// </summary>
    public double? CalibrationPrevalence { get; init; }

    public bool IsFitted(ComponentProbabilities components) => Fits.Any(f => f.Pattern == components.Pattern);

    public double Combine(ComponentProbabilities components)
    {
        ArgumentNullException.ThrowIfNull(components);
        var logits = components.Logits();
        if (Fits.FirstOrDefault(f => f.Pattern == components.Pattern) is not { } fit)
            return LogisticFit.Sigmoid(logits.Average());
        var stacked = LogisticFit.Logit(LogisticFit.Predict(fit.Weights, components.StackingInputs()));
        return LogisticFit.Sigmoid(fit.PlattSlope * stacked + fit.PlattIntercept);
    }

    /// <summary>
    /// The probability shown and the level: the combination cut by the thresholds, then the guideline floor
    /// (<see cref="GuidelineFloor"/>) when the record meets it.
    /// </summary>
    public RiskDecision Decide(ComponentProbabilities components, GuidelineFloor? floor)
    {
        var learned = Combine(components);
        return floor is null
            ? new RiskDecision(learned, Categorise(learned), learned, null)
            : floor.Apply(learned, this);
    }

    public RiskCategory Categorise(double probability) =>
        probability >= Thresholds.High ? RiskCategory.High
        : probability >= Thresholds.Moderate ? RiskCategory.Moderate
        : probability < Thresholds.Negligible ? RiskCategory.Negligible
        : RiskCategory.Low;

    /// <summary>
    /// Fits every pattern of components present in dev, then the cut-offs: moderate (the flag) at the highest
    /// probability that keeps the target sensitivity on dev; high where HF becomes more likely than not
    /// (p ≥ 0.5; halfway from moderate to 1 when moderate is 0.5 or more, so the moderate band is never empty);
    /// negligible below the probability that keeps 99 % sensitivity.
    /// </summary>
    public static StackedCombiner Fit(
        IReadOnlyList<ComponentProbabilities> dev,
        IReadOnlyList<bool> labels,
        double flagSensitivity = 0.9,
        double negligibleSensitivity = 0.99
    )
    {
        var fits = new List<StackingFit>();
        foreach (var pattern in dev.Select(d => d.Pattern).Distinct())
        {
            foreach (var drop in Reductions(pattern))
            {
                if (fits.Any(f => f.Pattern == drop))
                    continue;
                var rows = dev.Select((d, i) => (Components: Reduce(d, drop), Label: labels[i]))
                    .Where(r => r.Components is not null)
                    .ToList();
                if (rows.Count < 40 || rows.Count(r => r.Label) < 8 || rows.All(r => r.Label))
                    continue;
                var inputs = rows.Select(r => r.Components!.StackingInputs()).ToList();
                var outcomes = rows.Select(r => r.Label).ToList();
                var weights = LogisticFit.Fit(inputs, outcomes);
                var platt = LogisticFit.Fit(
                    OutOfFold(inputs, outcomes).Select(z => new[] { z }).ToList(),
                    outcomes,
                    ridge: 0
                );
                fits.Add(new StackingFit(drop, weights, platt[1], platt[0], rows.Count));
            }
        }
        var provisional = new StackedCombiner(fits, Default.Thresholds);
        var scores = dev.Select(provisional.Combine).ToList();
        var ones = labels.Select(l => l ? 1 : 0).ToList();
        var moderate = BinaryMetrics.ThresholdForSensitivity(ones, scores, flagSensitivity);
        // High means more likely than not. When the flag cut is itself at or above 0.5, high starts halfway from it
        // to 1 instead: the moderate band, where the guideline floor places guideline-positive patients, is never
        // empty.
        var high = moderate < 0.5 ? 0.5 : moderate + (1 - moderate) / 2;
        var negligible = Math.Min(
            moderate / 2,
            BinaryMetrics.ThresholdForSensitivity(ones, scores, negligibleSensitivity)
        );
        var thresholds = new RiskThresholds(
            negligible,
            moderate,
            high,
            string.Create(
                CultureInfo.InvariantCulture,
                $"dev split ({dev.Count} patients): moderate (flag) at sensitivity {flagSensitivity:0.00}, "
                    + $"high at p >= 0.5 (halfway from the flag cut to 1 when that cut is 0.5 or more), "
                    + $"negligible below the sensitivity-{negligibleSensitivity:0.00} cut"
            )
        );
        return new StackedCombiner(fits, thresholds) { CalibrationPrevalence = ones.Average() };
    }

    public void Save(string directory) =>
        File.WriteAllText(
            Path.Combine(directory, FileName),
            JsonSerializer.Serialize(new Stored(Fits.ToList(), Thresholds, CalibrationPrevalence), Json) + "\n"
        );

    public static StackedCombiner Load(string directory)
    {
        var stored =
            JsonSerializer.Deserialize<Stored>(File.ReadAllText(Path.Combine(directory, FileName)), Json)
            ?? throw new InvalidDataException($"{directory}/{FileName} is empty.");
        return new StackedCombiner(stored.Fits, stored.Thresholds)
        {
            CalibrationPrevalence = stored.CalibrationPrevalence,
        };
    }

    /// <summary>
    /// Each row's stacked logit from a model fitted without its fold (5 folds, seeded), so Platt scaling sees honest
    /// scores.
    /// </summary>
    private static double[] OutOfFold(List<double[]> inputs, List<bool> outcomes)
    {
        var order = Enumerable.Range(0, inputs.Count).ToArray();
        new Random(SplitSeed).Shuffle(order);
        var fold = new int[inputs.Count];
        for (var i = 0; i < order.Length; i++)
            fold[order[i]] = i % Folds;
        var logits = new double[inputs.Count];
        for (var f = 0; f < Folds; f++)
        {
            var train = Enumerable.Range(0, inputs.Count).Where(i => fold[i] != f).ToList();
            var weights = LogisticFit.Fit(
                train.Select(i => inputs[i]).ToList(),
                train.Select(i => outcomes[i]).ToList()
            );
            foreach (var i in Enumerable.Range(0, inputs.Count).Where(i => fold[i] == f))
                logits[i] = LogisticFit.Logit(LogisticFit.Predict(weights, inputs[i]));
        }
        return logits;
    }

    private static IEnumerable<string> Reductions(string pattern)
    {
        yield return pattern;
        if (pattern.Contains("+notes", StringComparison.Ordinal))
            yield return pattern.Replace("+notes", "", StringComparison.Ordinal);
        if (pattern.Contains("+tabular", StringComparison.Ordinal))
            yield return pattern.Replace("+tabular", "", StringComparison.Ordinal);
        yield return "rules";
    }

    private static ComponentProbabilities? Reduce(ComponentProbabilities components, string pattern)
    {
        var reduced = components with
        {
            Tabular = pattern.Contains("tabular", StringComparison.Ordinal) ? components.Tabular : null,
            Notes = pattern.Contains("notes", StringComparison.Ordinal) ? components.Notes : null,
        };
        return reduced.Pattern == pattern ? reduced : null;
    }

    private sealed record Stored(
        List<StackingFit> Fits,
        RiskThresholds Thresholds,
        double? CalibrationPrevalence = null
    );
}
