using System.Text.Json;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Utility;

namespace Clinical.Fhir.Parsing;

/// <summary>
/// Reads FHIR R4 JSON strictly (Firely's strict engine: unknown elements, bad primitives and
/// structural errors are reported with FHIRPath, line and column). A Bundle is isolated per
/// entry: a bad entry is reported and left out, the rest is accepted.
/// </summary>
public sealed partial class FhirInputReader(InputLimits limits, TimeProvider clock)
{
    private static readonly IFhirSerializationEngine Strict = FhirSerializationEngineFactory.Strict(
        ModelInfo.ModelInspector
    );

    public FhirInputReader()
        : this(InputLimits.Default, TimeProvider.System) { }

    public FhirInputReader(InputLimits limits)
        : this(limits, TimeProvider.System) { }

    public InputLimits Limits { get; } = limits;

    public ParsedInput Read(string json, string source)
    {
        if (json.Length > Limits.MaxBytes)
            throw new FhirInputException([
                new InputIssue(
                    IssueSeverity.Error,
                    "too-costly",
                    $"The input is {json.Length:N0} bytes; the limit is {Limits.MaxBytes:N0}.",
                    Source: source
                ),
            ]);

        CheckJsonShape(json, source);

        Resource resource;
        var issues = new List<InputIssue>();
        try
        {
            resource =
                Strict.DeserializeFromJson(json)
                ?? throw new FhirInputException([
                    new InputIssue(IssueSeverity.Error, "structure", "The input holds no resource.", Source: source),
                ]);
        }
        catch (DeserializationFailedException failure)
        {
            issues.AddRange(failure.Exceptions.Select(e => ToIssue(e, source)));
            if (failure.PartialResult is not Bundle partial)
                throw new FhirInputException(issues);
            resource = partial;
        }
        catch (JsonException syntax)
        {
            throw new FhirInputException([SyntaxIssue(syntax, source)]);
        }

        if (resource is Bundle bundle)
            return AcceptEntries(bundle, issues, source);
        var single = new AcceptedResource(resource, null, resource.TypeName);
        issues.AddRange(InputRules.Check(single, clock.GetUtcNow(), source));
        if (issues.Any(i => i.Severity is IssueSeverity.Error or IssueSeverity.Fatal))
            throw new FhirInputException(issues);
        return new ParsedInput(source, [single], issues);
    }

    private ParsedInput AcceptEntries(Bundle bundle, List<InputIssue> issues, string source)
    {
        if (bundle.Entry.Count > Limits.MaxEntries)
            throw new FhirInputException([
                new InputIssue(
                    IssueSeverity.Error,
                    "too-costly",
                    $"The Bundle has {bundle.Entry.Count:N0} entries; the limit is {Limits.MaxEntries:N0}. "
                        + "Split it or use Bulk Data NDJSON.",
                    "Bundle.entry",
                    Source: source
                ),
            ]);

        var badEntries = issues
            .Select(i => EntryIndex().Match(i.Location ?? ""))
            .Where(m => m.Success)
            .Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))
            .ToHashSet();
        var accepted = new List<AcceptedResource>();
        var now = clock.GetUtcNow();
        var fullUrls = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < bundle.Entry.Count; i++)
        {
            var entry = bundle.Entry[i];
            var location = $"Bundle.entry[{i}]";
            if (badEntries.Contains(i))
                continue;
            if (entry.Resource is null)
            {
                issues.Add(
                    entry.Request is not null
                        ? new InputIssue(
                            IssueSeverity.Information,
                            "informational",
                            $"Request entry ({entry.Request.Method} {entry.Request.Url}) carries no resource; "
                                + "nothing to read.",
                            location,
                            Source: source
                        )
                        : new InputIssue(
                            IssueSeverity.Warning,
                            "required",
                            "Entry has no resource and was skipped.",
                            location,
                            Source: source
                        )
                );
                continue;
            }
            // bdl-7: fullUrl is unique unless the entries are different versions of the resource.
            if (
                !string.IsNullOrEmpty(entry.FullUrl)
                && !fullUrls.Add($"{entry.FullUrl}|{entry.Resource.Meta?.VersionId}")
            )
            {
                issues.Add(
                    new InputIssue(
                        IssueSeverity.Error,
                        "invalid",
                        $"Duplicate fullUrl '{entry.FullUrl}' (bdl-7); the later entry was left out.",
                        $"{location}.fullUrl",
                        Source: source
                    )
                );
                continue;
            }
            var candidate = new AcceptedResource(entry.Resource, entry.FullUrl, $"{location}.resource");
            var broken = InputRules.Check(candidate, now, source).ToList();
            issues.AddRange(broken);
            if (broken.Any(i => i.Severity == IssueSeverity.Error))
                continue;
            accepted.Add(candidate);
        }
        return new ParsedInput(source, accepted, issues);
    }

    private void CheckJsonShape(string json, string source)
    {
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = Limits.MaxDepth });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new FhirInputException([
                    new InputIssue(
                        IssueSeverity.Error,
                        "structure",
                        "Expected a FHIR resource (a JSON object), found a JSON "
                            + $"{document.RootElement.ValueKind.ToString().ToLowerInvariant()}.",
                        Line: 1,
                        Column: 1,
                        Source: source
                    ),
                ]);
            if (
                !document.RootElement.TryGetProperty("resourceType", out var type)
                || type.ValueKind != JsonValueKind.String
            )
                throw new FhirInputException([
                    new InputIssue(
                        IssueSeverity.Error,
                        "structure",
                        "The JSON object has no 'resourceType', so it is not a FHIR resource.",
                        Line: 1,
                        Column: 1,
                        Source: source
                    ),
                ]);
        }
        catch (JsonException syntax)
        {
            throw new FhirInputException([SyntaxIssue(syntax, source)]);
        }
    }

    private static InputIssue SyntaxIssue(JsonException syntax, string source)
    {
        var message = syntax.Message;
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut > 0)
            message = message[..cut];
        return new InputIssue(
            IssueSeverity.Fatal,
            "structure",
            $"Invalid JSON: {message}",
            Line: syntax.LineNumber + 1,
            Column: syntax.BytePositionInLine + 1,
            Source: source
        );
    }

    private static InputIssue ToIssue(CodedException error, string source)
    {
        if (error is ExtendedCodedException located)
        {
            var message = located.Message;
            var at = message.IndexOf(" At ", StringComparison.Ordinal);
            if (at > 0)
                message = message[..at];
            return new InputIssue(
                located.IssueSeverity == Hl7.Fhir.Model.OperationOutcome.IssueSeverity.Warning
                    ? IssueSeverity.Warning
                    : IssueSeverity.Error,
                IssueTypeCode(located.IssueType),
                $"{located.ErrorCode}: {message}",
                located.InstancePath,
                located.LineNumber,
                located.Position,
                source
            );
        }
        return new InputIssue(IssueSeverity.Error, "invalid", $"{error.ErrorCode}: {error.Message}", Source: source);
    }

    private static string IssueTypeCode(Hl7.Fhir.Model.OperationOutcome.IssueType type) =>
        EnumUtility.GetLiteral(type) ?? "invalid";

    [GeneratedRegex(@"^Bundle\.entry\[(\d+)\]")]
    private static partial Regex EntryIndex();
}
