using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Clinical.Fhir.Extraction;
using Hl7.Fhir.Model;

namespace Clinical.Fhir.Notes;

/// <summary>
/// Notes from DocumentReference attachments (inline base64 text/plain or text/html), DiagnosticReport
/// (conclusion, presentedForm) and Composition section narratives. A note that cannot be read is
/// recorded as unread with the reason.
/// </summary>
public static partial class NoteExtractor
{
    public static void Extract(
        Resource resource,
        string source,
        int maxCharacters,
        List<ClinicalNote> notes,
        List<UnreadNote> unread
    )
    {
        switch (resource)
        {
            case DocumentReference document when document.Status != DocumentReferenceStatus.EnteredInError:
                var when = FhirDates.Parse(document.Date?.ToString()) ?? FhirDates.Of(document.Context?.Period);
                var role = AuthorRole(document.Author.FirstOrDefault());
                for (var i = 0; i < document.Content.Count; i++)
                    FromAttachment(
                        document.Content[i].Attachment,
                        document.Language,
                        when,
                        role,
                        $"{source}",
                        $"DocumentReference.content[{i}].attachment",
                        maxCharacters,
                        notes,
                        unread
                    );
                break;
            case DiagnosticReport report when report.Status != DiagnosticReport.DiagnosticReportStatus.EnteredInError:
                var issued = FhirDates.Of(report.Effective) ?? report.Issued;
                if (!string.IsNullOrWhiteSpace(report.Conclusion))
                    Add(
                        report.Conclusion,
                        report.Language,
                        issued,
                        null,
                        source,
                        "DiagnosticReport.conclusion",
                        maxCharacters,
                        notes,
                        unread
                    );
                for (var i = 0; i < report.PresentedForm.Count; i++)
                    FromAttachment(
                        report.PresentedForm[i],
                        report.Language,
                        issued,
                        null,
                        source,
                        $"DiagnosticReport.presentedForm[{i}]",
                        maxCharacters,
                        notes,
                        unread
                    );
                break;
            case Composition composition when composition.Status != CompositionStatus.EnteredInError:
                var date = FhirDates.Parse(composition.Date);
                for (var i = 0; i < composition.Section.Count; i++)
                    FromSection(
                        composition.Section[i],
                        composition.Language,
                        date,
                        source,
                        $"Composition.section[{i}]",
                        maxCharacters,
                        notes,
                        unread
                    );
                break;
        }
    }

    private static void FromSection(
        Composition.SectionComponent section,
        string? language,
        DateTimeOffset? when,
        string source,
        string origin,
        int max,
        List<ClinicalNote> notes,
        List<UnreadNote> unread
    )
    {
        if (section.Text?.Div is { } div)
        {
            var text = HtmlToText(div);
            if (!string.IsNullOrWhiteSpace(text))
                Add(
                    section.Title is { } title ? $"{title}: {text}" : text,
                    language,
                    when,
                    null,
                    source,
                    $"{origin}.text",
                    max,
                    notes,
                    unread
                );
        }
        for (var i = 0; i < section.Section.Count; i++)
            FromSection(section.Section[i], language, when, source, $"{origin}.section[{i}]", max, notes, unread);
    }

    private static void FromAttachment(
        Attachment? attachment,
        string? resourceLanguage,
        DateTimeOffset? when,
        string? role,
        string source,
        string origin,
        int max,
        List<ClinicalNote> notes,
        List<UnreadNote> unread
    )
    {
        if (attachment is null)
            return;
        var contentType = (attachment.ContentType ?? "text/plain").ToLowerInvariant();
        if (attachment.Data is null)
        {
            unread.Add(
                new UnreadNote(
                    source,
                    attachment.Url is { } url
                        ? $"{origin}: the note is only referenced by URL ({url}) and was not retrieved."
                        : $"{origin}: the attachment has neither data nor URL."
                )
            );
            return;
        }
        var mediaType = contentType.Split(';')[0].Trim();
        if (mediaType is not ("text/plain" or "text/html" or "application/xhtml+xml" or "text/markdown"))
        {
            unread.Add(new UnreadNote(source, $"{origin}: content type '{contentType}' is not text and was skipped."));
            return;
        }
        if (Decode(attachment.Data, contentType) is not { } text)
        {
            unread.Add(
                new UnreadNote(
                    source,
                    $"{origin}: the bytes are not valid text in the declared charset, or the charset is unknown "
                        + $"('{contentType}'; UTF-8 when none is declared); the note was not read rather than read "
                        + "with characters replaced."
                )
            );
            return;
        }
        if (mediaType is "text/html" or "application/xhtml+xml")
            text = HtmlToText(text);
        Add(text, attachment.Language ?? resourceLanguage, when, role, source, origin, max, notes, unread);
    }

    private static void Add(
        string text,
        string? declaredLanguage,
        DateTimeOffset? when,
        string? role,
        string source,
        string origin,
        int max,
        List<ClinicalNote> notes,
        List<UnreadNote> unread
    )
    {
        text = text.Trim();
        if (text.Length == 0)
            return;
        if (text.Length > max)
        {
            unread.Add(
                new UnreadNote(source, $"{origin}: the note has {text.Length:N0} characters, over the {max:N0} limit.")
            );
            return;
        }
        if (declaredLanguage is not null)
        {
            notes.Add(
                new ClinicalNote(
                    text,
                    declaredLanguage.Split('-')[0].ToLowerInvariant(),
                    1.0,
                    true,
                    when,
                    role,
                    source,
                    origin
                )
            );
            return;
        }
        var (detected, confidence) = LanguageDetector.Detect(text);
        notes.Add(new ClinicalNote(text, detected, confidence, false, when, role, source, origin));
    }

    /// <summary>
    /// The attachment's text in its declared charset (UTF-8 when none, the FHIR default), decoded strictly: bytes that
    /// are not valid in it, or a charset this runtime does not know, give null (reported), never U+FFFD replacements.
    /// Windows code pages (windows-1252, common in Spanish EHR exports) come from the runtime's code-page provider.
    /// </summary>
    private static string? Decode(byte[] data, string contentType)
    {
        var charset = CharsetPattern().Match(contentType);
        var name = charset.Success ? charset.Groups[1].Value : "utf-8";
        Encoding encoding;
        try
        {
            encoding = (Encoding)
                (CodePagesEncodingProvider.Instance.GetEncoding(name) ?? Encoding.GetEncoding(name)).Clone();
        }
        catch (ArgumentException)
        {
            return null;
        }
        encoding.DecoderFallback = DecoderFallback.ExceptionFallback;
        try
        {
            return encoding.GetString(data);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    private static string HtmlToText(string html)
    {
        var withBreaks = BlockTags().Replace(html, "\n");
        var text = WebUtility.HtmlDecode(AnyTag().Replace(withBreaks, ""));
        return ManyBlankLines().Replace(text, "\n").Trim();
    }

    private static string? AuthorRole(ResourceReference? author) => author?.Display ?? author?.Reference?.Split('/')[0];

    [GeneratedRegex(@"charset=([\w\-]+)", RegexOptions.IgnoreCase)]
    private static partial Regex CharsetPattern();

    [GeneratedRegex(@"<\s*(br|/p|/div|/li|/tr|/h\d)\s*/?>", RegexOptions.IgnoreCase)]
    private static partial Regex BlockTags();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex AnyTag();

    [GeneratedRegex(@"\n\s*\n+")]
    private static partial Regex ManyBlankLines();
}
