using System.Globalization;
using Clinical.Api.Errors;
using Clinical.Api.Pipeline;
using Clinical.Fhir.Output;
using Clinical.Fhir.Parsing;
using Hl7.Fhir.Model;

namespace Clinical.Api.FhirHttp;

/// <summary>
/// FHIR's HTTP conventions, shared by the endpoints: application/fhir+json in and out (415/406 otherwise), search
/// parameters, searchset Bundles.
/// </summary>
public static class FhirContent
{
    public const string MediaType = "application/fhir+json";

    public static void RequireFhirJson(HttpRequest request)
    {
        var contentType = request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (contentType is not (MediaType or "application/json" or "application/json+fhir"))
            throw new UnsupportedMediaException(request.ContentType);
        RequireUtf8(request, MediaType);
        RequireAcceptable(request);
    }

    /// <summary>
    /// A body is read as UTF-8 bytes (FHIR R4 §3.1.0.4 "UTF-8 encoding SHALL be used"; RFC 8259 §8.1): one declared
    /// in another charset (charset=iso-8859-1) is refused with 415, not read with its characters replaced (issue 16).
    /// </summary>
    public static void RequireUtf8(HttpRequest request, string expected)
    {
        if (
            Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(request.ContentType, out var media)
            && media.Charset.HasValue
            && !media.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)
            && !media.Charset.Equals("utf8", StringComparison.OrdinalIgnoreCase)
        )
            throw new UnsupportedMediaException(request.ContentType, expected + "; charset=utf-8");
    }

    /// <summary>For reads: only Accept matters (406 when it excludes FHIR JSON).</summary>
    public static void RequireAcceptable(HttpRequest request)
    {
        var accept = request.Headers.Accept.ToString();
        if (
            !string.IsNullOrWhiteSpace(accept)
            && !accept
                .Split(',')
                .Select(a => a.Split(';')[0].Trim().ToLowerInvariant())
                .Any(a => a is "*/*" or "application/*" or MediaType or "application/json" or "application/json+fhir")
        )
            throw new NotAcceptableException(accept);
    }

    /// <summary>
    /// The request body as UTF-8 bytes, refused (413) as soon as it passes Clinical:MaxRequestBytes, whatever the
    /// server in front enforces.
    /// </summary>
    public static Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken) =>
        BoundedInput.ReadAsync(
            request.Body,
            request.HttpContext.RequestServices.GetRequiredService<InputLimits>().MaxBytes,
            "request body",
            request.ContentLength,
            cancellationToken
        );

    public static DateOnly? ParseDate(string? value, string name)
    {
        if (string.IsNullOrWhiteSpace(value))
            return null;
        return AsOfRule.TryParse(value, out var date)
            ? date
            : throw new FhirInputException([
                new InputIssue(IssueSeverity.Error, "value", AsOfRule.NotADate(name, value), name),
            ]);
    }

    public static string Caller(HttpRequest request) => Hosting.ClinicalAuthentication.Caller(request.HttpContext.User);

    /// <summary>A searchset Bundle of the resources, newest first as given, with a self link.</summary>
    public static Bundle Searchset(HttpRequest request, IReadOnlyList<Resource> resources) =>
        new()
        {
            Id = Guid.NewGuid().ToString(),
            Type = Bundle.BundleType.Searchset,
            Total = resources.Count,
            Link =
            [
                new Bundle.LinkComponent
                {
                    Relation = "self",
                    Url = $"{request.Scheme}://{request.Host}{request.Path}{request.QueryString}",
                },
            ],
            Entry = resources
                .Select(r => new Bundle.EntryComponent
                {
                    FullUrl = $"{request.Scheme}://{request.Host}/fhir/{r.TypeName}/{r.Id}",
                    Resource = r,
                    Search = new Bundle.SearchComponent { Mode = Bundle.SearchEntryMode.Match },
                })
                .ToList(),
        };

    /// <summary>
    /// A patient search parameter as a reference: "Patient/123" (or "123"); required so searches never dump everyone.
    /// </summary>
    public static string PatientReference(string? value, string name)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw new FhirInputException([
                new InputIssue(
                    IssueSeverity.Error,
                    "invalid",
                    $"The search parameter '{name}' is required (e.g. {name}=Patient/123).",
                    name
                ),
            ]);
        return value.Contains('/', StringComparison.Ordinal) ? value : $"Patient/{value}";
    }

    /// <summary>
    /// The cohort run named by a _tag search value, which must be the run system and a run id
    /// (https://hf-screening.invalid/fhir/CodeSystem/cohort-run|RUN).
    /// </summary>
    public static string CohortRunTag(string value)
    {
        var prefix = ProductCodes.CohortRunSystem + "|";
        return value.StartsWith(prefix, StringComparison.Ordinal) && value.Length > prefix.Length
            ? value[prefix.Length..]
            : throw new FhirInputException([
                new InputIssue(
                    IssueSeverity.Error,
                    "not-supported",
                    $"_tag searches by cohort run only: _tag={prefix}RUN-ID.",
                    "_tag"
                ),
            ]);
    }

    /// <summary>Where a page starts (the next link's _offset); 0 when absent.</summary>
    public static int Offset(string? value) =>
        value is null ? 0
        : int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var offset) ? offset
        : throw new FhirInputException([
            new InputIssue(IssueSeverity.Error, "value", $"_offset '{value}' is not a whole number.", "_offset"),
        ]);

    /// <summary>Makes a searchset a page of <paramref name="total"/> matches: the total, and a next link.</summary>
    public static void Page(HttpRequest request, Bundle bundle, int total, int offset, int count)
    {
        bundle.Total = total;
        if (offset + count >= total)
            return;
        var query = request.Query.Where(q => q.Key != "_offset").SelectMany(q => q.Value.Select(v => (q.Key, v)));
        var next = string.Join(
            '&',
            query
                .Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.v ?? "")}")
                .Append(string.Create(CultureInfo.InvariantCulture, $"_offset={offset + count}"))
        );
        bundle.Link.Add(
            new Bundle.LinkComponent
            {
                Relation = "next",
                Url = $"{request.Scheme}://{request.Host}{request.Path}?{next}",
            }
        );
    }

    public static int Count(string? value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count is > 0 and <= 500
            ? count
            : 50;

    public static IResult Result(Resource resource, int status = StatusCodes.Status200OK) =>
        Results.Text(FhirJson.Serialize(resource), MediaType, System.Text.Encoding.UTF8, status);
}
