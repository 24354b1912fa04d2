namespace Clinical.Fhir.Extraction;

/// <summary>
/// The one place that decides whether a value, a unit or a date can be true of a living patient. What fails a rule is
/// not used (a negative NT-proBNP read as "below 125" would clear a high-risk patient) and is reported as one warning
/// naming the resource, the value and the rule. Ranges are wide on purpose: they catch impossible and mistyped values,
/// never an unusual but real one.
/// </summary>
public static class Plausibility
{
    /// <summary>
    /// No record of a living patient is dated before this: the oldest verified human lived 122 years (born 1875), so
    /// a birth before 1900 in primary-care data is a placeholder (1800-01-01) or a typo, and so is a fact dated
    /// 0001-01-01.
    /// </summary>
    public static readonly DateOnly Earliest = new(1900, 1, 1);

    /// <summary>
    /// Values beyond these, in the product's unit, cannot be measurements. NT-proBNP: Roche Elecsys proBNP II
    /// measures 5–35,000 pg/mL and its insert allows a 1:2 dilution (70,000); higher results are reported as
    /// "&gt;35000", which keeps its comparator. BNP: Abbott Architect and Alere Triage BNP measure up to 5,000 pg/mL;
    /// twice that is allowed for dilution. A concentration below zero is impossible. LVEF is a fraction of
    /// end-diastolic volume, so 0–100 %; values under 5 % or over 90 % lie outside every echocardiographic series
    /// (normal 52–74 %, Lang et al., J Am Soc Echocardiogr 2015;28:1-39) and are usually a fraction written as a
    /// percentage (0.35 for 35 %) or a typo.
    /// </summary>
    public static (decimal Min, decimal Max)? Range(MeasurementKind kind) =>
        kind switch
        {
            MeasurementKind.NtProBnp => (0m, 70_000m),
            MeasurementKind.Bnp => (0m, 10_000m),
            MeasurementKind.Lvef => (5m, 90m),
            _ => null,
        };

    /// <summary>
    /// Peptide values must state their unit: pg/mL and pmol/L differ by a factor of 8.457 for NT-proBNP (3.467 for
    /// BNP), so a bare number cannot be placed against the 125 pg/mL (35 pg/mL) threshold.
    /// </summary>
    public static bool RequiresUnit(MeasurementKind kind) => kind is MeasurementKind.NtProBnp or MeasurementKind.Bnp;

    /// <summary>Why a birth date cannot be used for a record as of <paramref name="asOf"/>, else null.</summary>
    public static string? BirthDateProblem(DateOnly birth, DateOnly asOf, DateOnly today)
    {
        if (birth > today)
            return $"Patient.birthDate {birth:yyyy-MM-dd} is in the future; the birth date was not used "
                + "(age unknown).";
        if (birth < Earliest)
            return $"Patient.birthDate {birth:yyyy-MM-dd} is before {Earliest:yyyy}; the birth date was not used "
                + "(age unknown).";
        if (birth > asOf)
            return $"The as-of date {asOf:yyyy-MM-dd} is before Patient.birthDate {birth:yyyy-MM-dd}; the birth date "
                + "was not used (age unknown).";
        return null;
    }

    /// <summary>
    /// Why a measurement cannot be used (value outside its range, dated before <see cref="Earliest"/> or before the
    /// patient's birth), or null when it can. A fact dated after the as-of date is not a fault (it was not yet
    /// known); <see cref="AfterAsOf"/> words that.
    /// </summary>
    public static string? MeasurementProblem(Measurement measurement, DateOnly? birth)
    {
        var what =
            $"{measurement.Source}: {Name(measurement.Kind)} {measurement.OriginalValue} "
            + $"{measurement.OriginalUnit}".TrimEnd();
        if (Range(measurement.Kind) is var (min, max) && (measurement.Value < min || measurement.Value > max))
            return $"{what} is outside the plausible range {min}–{max} {measurement.Unit}; the value was not used.";
        if (CalendarDay.Of(measurement.When) is { } day)
        {
            if (day < Earliest)
                return $"{what} is dated {day:yyyy-MM-dd}, before {Earliest:yyyy}; the value was not used.";
            if (birth is { } born && day < born)
                return $"{what} is dated {day:yyyy-MM-dd}, before the patient's birth date {born:yyyy-MM-dd}; "
                    + "the value was not used.";
        }
        return null;
    }

    public static string AfterAsOf(int count, DateOnly asOf) =>
        $"{count} measurement{(count == 1 ? " is" : "s are")} dated after the as-of date {asOf:yyyy-MM-dd}; "
        + (count == 1 ? "it was" : "they were")
        + " not used (not yet known then).";

    public static string MissingUnit(string source, MeasurementKind kind, decimal value) =>
        $"{source}: {Name(kind)} {value} has no unit; pg/mL is not assumed, so the value was not used.";

    private static string Name(MeasurementKind kind) =>
        kind switch
        {
            MeasurementKind.NtProBnp => "NT-proBNP",
            MeasurementKind.Bnp => "BNP",
            MeasurementKind.Lvef => "LVEF",
            _ => kind.ToString(),
        };
}
