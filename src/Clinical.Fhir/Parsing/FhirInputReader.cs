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
    // The deserializer behind FhirSerializationEngineFactory.Strict, used directly so that it reads UTF-8 bytes: the
    // engine takes only a string, which costs twice the input and more while it is built (issue 16: a 21 MB Bundle
    // peaked at 667 MB).
    private static readonly BaseFhirJsonDeserializer Strict = new(
        ModelInfo.ModelInspector,
        (FhirJsonConverterOptions)new FhirJsonConverterOptions().UsingMode(DeserializationMode.Strict)
    );

    public FhirInputReader()
        : this(InputLimits.Default, TimeProvider.System) { }

    public FhirInputReader(InputLimits limits)
        : this(limits, TimeProvider.System) { }

    public InputLimits Limits { get; } = limits;

    public ParsedInput Read(string json, string source)
    {
        if (json.Length > Limits.MaxBytes)
            throw TooLarge(json.Length, source);
        return Read(System.Text.Encoding.UTF8.GetBytes(json), source);
    }

    /// <summary>Reads UTF-8 JSON (a leading byte order mark is skipped).</summary>
    public ParsedInput Read(ReadOnlyMemory<byte> utf8, string source)
    {
        if (BoundedInput.StartsWithByteOrderMark(utf8.Span))
            utf8 = utf8[3..];
        if (utf8.Length > Limits.MaxBytes)
            throw TooLarge(utf8.Length, source);

        CheckJsonShape(utf8.Span, source);

        Resource resource;
        var issues = new List<InputIssue>();
        try
        {
            var json = new Utf8JsonReader(utf8.Span, new JsonReaderOptions { MaxDepth = Limits.MaxDepth });
            resource =
                Strict.DeserializeResource(ref json)
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
        var ids = new DuplicateIds();
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
            if (ids.Check(entry.Resource, location, $"{location}.resource.id", source) is { } duplicate)
            {
                issues.Add(duplicate);
                continue;
            }
            var candidate = new AcceptedResource(entry.Resource, entry.FullUrl, $"{location}.resource");
            var broken = InputRules.Check(candidate, now, source).ToList();
            issues.AddRange(broken);
            if (broken.Any(i => i.Severity == IssueSeverity.Error))
                continue;
            accepted.Add(candidate);
        }
        return new ParsedInput(source, accepted, issues) { ConflictingIds = ids.Conflicting };
    }

    private FhirInputException TooLarge(long length, string source) =>
        new([
            new InputIssue(
                IssueSeverity.Error,
                "too-costly",
                $"The input is {length:N0} bytes; the limit is {Limits.MaxBytes:N0}.",
                Source: source
            ),
        ]);

    /// <summary>
    /// One pass of a forward-only reader over the whole input before Firely sees it: well-formed JSON within the depth
    /// limit, a JSON object at the root, with a string resourceType. Nothing is allocated for the input (a document
    /// model of a 20 MB Bundle is tens of MB more).
    /// </summary>
    private void CheckJsonShape(ReadOnlySpan<byte> utf8, string source)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = Limits.MaxDepth });
            if (!reader.Read())
                throw new JsonException("The input is empty.", null, 0, 0);
            if (reader.TokenType != JsonTokenType.StartObject)
                throw new FhirInputException([
                    new InputIssue(
                        IssueSeverity.Error,
                        "structure",
                        $"Expected a FHIR resource (a JSON object), found a JSON {Kind(reader.TokenType)}.",
                        Line: 1,
                        Column: 1,
                        Source: source
                    ),
                ]);
            var hasResourceType = false;
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName)
                    CheckText(ref reader, utf8, source);
                if (
                    reader.CurrentDepth == 1
                    && reader.TokenType == JsonTokenType.PropertyName
                    && reader.ValueTextEquals("resourceType"u8)
                )
                {
                    reader.Read();
                    hasResourceType |= reader.TokenType == JsonTokenType.String;
                    if (reader.TokenType == JsonTokenType.String)
                        CheckText(ref reader, utf8, source);
                }
            }
            if (!hasResourceType)
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

    /// <summary>
    /// A string must be Unicode text: UTF-8 (RFC 8259 §8.1) without a lone surrogate in a \u escape (I-JSON, RFC 7493
    /// §2.1). Neither is replaced with U+FFFD (which would silently change a name or a note) nor left for a later
    /// GetString to throw on: the input is refused, located.
    /// </summary>
    private static void CheckText(ref Utf8JsonReader reader, ReadOnlySpan<byte> utf8, string source)
    {
        var raw = reader.ValueSpan;
        string? problem = null;
        if (reader.TokenType == JsonTokenType.PropertyName && raw.IsEmpty)
            // FHIR JSON never has one, and Firely's deserializer indexes its first character (issue 16's
            // "Index was out of range", found again by the fhir fuzz target).
            problem = "An empty property name (\"\"), which FHIR JSON never has.";
        else if (!System.Text.Unicode.Utf8.IsValid(raw))
            problem = "A string holds bytes that are not UTF-8 (RFC 8259 §8.1: JSON is UTF-8); re-encode the input.";
        else if (reader.ValueIsEscaped && !Unescapes(ref reader, raw.Length))
            problem =
                "A string holds a \\u escape of a lone UTF-16 surrogate, which is not a character "
                + "(RFC 7493 §2.1); fix the text at its source.";
        if (problem is null)
            return;
        var before = utf8[..(int)reader.TokenStartIndex];
        var lastNewline = before.LastIndexOf((byte)'\n');
        throw new FhirInputException([
            new InputIssue(
                IssueSeverity.Fatal,
                "structure",
                problem,
                Line: before.Count((byte)'\n') + 1,
                Column: before.Length - lastNewline,
                Source: source
            ),
        ]);
    }

    private static bool Unescapes(ref Utf8JsonReader reader, int length)
    {
        var rented = System.Buffers.ArrayPool<char>.Shared.Rent(length);
        try
        {
            reader.CopyString(rented);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
        finally
        {
            System.Buffers.ArrayPool<char>.Shared.Return(rented);
        }
    }

    private static string Kind(JsonTokenType token) =>
        token switch
        {
            JsonTokenType.StartArray => "array",
            JsonTokenType.String => "string",
            JsonTokenType.Number => "number",
            JsonTokenType.True or JsonTokenType.False => "boolean",
            _ => "null",
        };

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
