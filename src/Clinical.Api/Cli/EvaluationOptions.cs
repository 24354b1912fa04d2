using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Clinical.Models.Evaluation;
using Mediator;

namespace Clinical.Api.Cli;

/// <summary>
/// What `evaluate` and `evaluate-cohort` share: --prevalence and --calibrated-at, declared and checked once, and the
/// warnings both print on stderr (a subgroup whose sensitivity falls behind; predictive values that the prior-shifted
/// probabilities do not reproduce).
/// </summary>
internal static class EvaluationOptions
{
    public static Option<double[]> Prevalence() =>
        new("--prevalence")
        {
            HelpName = "P",
            Description =
                "Also report at these deployment prevalences (fractions, e.g. 0.01 0.02): sensitivity, specificity, "
                + "and PPV/NPV by Bayes' rule and from the calibrated probabilities prior-shifted to P. "
                + "The flag threshold stays where the card put it.",
            AllowMultipleArgumentsPerToken = true,
            CustomParser = result => result.Tokens.Select(t => Fraction(result, "--prevalence", t.Value)).ToArray(),
        };

    public static Option<double?> CalibratedAt() =>
        new("--calibrated-at")
        {
            HelpName = "P0",
            Description =
                "The prevalence the probabilities were calibrated at, for cards that do not record it "
                + "(the positive share of the calibration set); overrides the card's.",
            CustomParser = result => Fraction(result, "--calibrated-at", result.Tokens.Single().Value),
        };

    /// <summary>Adds both options to a verb; --calibrated-at alone is a parse error.</summary>
    public static (Option<double[]> Prevalence, Option<double?> CalibratedAt) AddTo(Command command)
    {
        var prevalence = Prevalence();
        var calibratedAt = CalibratedAt();
        command.Options.Add(prevalence);
        command.Options.Add(calibratedAt);
        command.Validators.Add(result =>
        {
            if (result.GetResult(calibratedAt) is not null && result.GetResult(prevalence) is null)
                result.AddError("--calibrated-at only applies with --prevalence.");
        });
        return (prevalence, calibratedAt);
    }

    /// <summary>
    /// Adds both options and the verb's action: the request built from the verb's options and these two goes through
    /// the mediator, the verb writes the result, and the warnings on the result's subgroups and prevalences follow.
    /// </summary>
    public static void SetAction<TEvaluation>(
        Command command,
        Func<ParseResult, double[]?, double?, IRequest<TEvaluation>> request,
        Func<ParseResult, TEvaluation, CancellationToken, Task> write,
        Func<TEvaluation, (SubgroupTable Subgroups, IEnumerable<PrevalenceEstimate> AtPrevalence)> warned,
        Func<ParseResult, string[]>? configurationArgs = null
    )
    {
        var (prevalence, calibratedAt) = AddTo(command);
        command.SetAction(
            (result, cancellationToken) =>
                VerbHost.SendAsync(
                    async (mediator, ct) =>
                    {
                        var evaluation = await mediator.Send(
                            request(result, result.GetValue(prevalence), result.GetValue(calibratedAt)),
                            ct
                        );
                        await write(result, evaluation, ct);
                        var (subgroups, atPrevalence) = warned(evaluation);
                        await WarnAsync(result.InvocationConfiguration.Error, subgroups, atPrevalence);
                    },
                    cancellationToken,
                    configurationArgs?.Invoke(result)
                )
        );
    }

    /// <summary>One stderr line per kind of warning, after the verb's output.</summary>
    public static async Task WarnAsync(
        TextWriter error,
        SubgroupTable subgroups,
        IEnumerable<PrevalenceEstimate> atPrevalence
    )
    {
        if (subgroups.WarningLine() is { } line)
            await error.WriteLineAsync(line);
        foreach (var disagreement in atPrevalence.Select(p => p.DisagreementLine()).OfType<string>())
            await error.WriteLineAsync(disagreement);
    }

    private static double Fraction(ArgumentResult result, string option, string text)
    {
        if (
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            && value > 0
            && value < 1
        )
            return value;
        result.AddError($"{option} '{text}' is not a fraction strictly between 0 and 1 (e.g. 0.02 for 2 %).");
        return double.NaN;
    }
}
