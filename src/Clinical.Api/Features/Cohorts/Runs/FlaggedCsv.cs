using System.Globalization;
using Clinical.Api.Features.Screening;
using Clinical.Fhir.Output;

namespace Clinical.Api.Features.Cohorts.Runs;

/// <summary>
/// flagged.csv, the flagged patients for the data team's spreadsheet: RFC 4180 (comma-separated, fields quoted when
/// they hold a comma, quote or line break), UTF-8, one header line; a text field that a spreadsheet would take for a
/// formula (=, +, -, @ first) is led by an apostrophe (OWASP, CSV injection).
/// </summary>
public static class FlaggedCsv
{
    public const string Header = "patient,level,probability,as_of,flag,risk_assessment,explanation";

    public static string Row(ScreenedPatient patient)
    {
        var report = patient.Report;
        return string.Join(
            ',',
            Text(report.PatientReference),
            ScreeningResourceBuilder.Code(report.Level),
            report.Probability.ToString("0.0000", CultureInfo.InvariantCulture),
            report.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            Text($"Flag/{patient.Resources.Flag?.Id}"),
            Text($"RiskAssessment/{patient.Resources.RiskAssessment.Id}"),
            Text(report.Text.Explanation)
        );
    }

    public static string Text(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@')
            value = "'" + value;
        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0
            ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\""
            : value;
    }
}
