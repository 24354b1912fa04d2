using System.Globalization;
using System.Net;
using Clinical.Api.Features.CdsHooks;
using Clinical.Api.Features.Dashboard.Plotting;
using Clinical.Api.Features.Flags;
using Clinical.Api.Hosting;
using Mediator;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Clinical.Api.Features.Dashboard.Review;

/// <summary>
/// GET /dashboard/flags/{flagId}: one flag's evidence and its review actions (confirm, dismiss with a coded reason,
/// reopen, note). Each action carries the flag version the page showed; a flag changed meanwhile is refused with what
/// changed (409). Dismiss is the FHIR API's Flag/$close request (CloseFlag), with a coded reason.
/// </summary>
[Authorize(Policy = DashboardAuthentication.ClinicianPolicy)]
public sealed class ReviewModel(IMediator mediator, IStringLocalizer<DashboardText> text) : PageModel
{
    public ReviewView View { get; private set; } = null!;

    /// <summary>What the last action did (a resource key), shown once after the redirect.</summary>
    public string? Done { get; private set; }

    public IReadOnlyList<FlagChange>? Conflict { get; private set; }

    /// <summary>
    /// The posted form. Bound as properties, not handler arguments: Razor Pages logs handler arguments at Trace,
    /// and a comment or a note is clinical text that must never reach a log.
    /// </summary>
    [BindProperty]
    public int Version { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    [BindProperty]
    public string? Comment { get; set; }

    [BindProperty]
    public string? Note { get; set; }

    public string? Error { get; private set; }

    /// <summary>The EHR's FHIR base of an EHR-launched session, for links to source resources.</summary>
    public string? FhirServer => User.FindFirst(DashboardAuthentication.FhirServerClaim)?.Value;

    private string Actor => ClinicalAuthentication.Caller(User);

    public async Task<IActionResult> OnGetAsync(string flagId, string? done, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(flagId, cancellationToken))
            return NotFound();
        Done = done is "confirm" or "ehr-posted" or "ehr-failed" or "dismiss" or "reopen" or "note" ? done : null;
        return Page();
    }

    public async Task<IActionResult> OnGetPlotAsync(string flagId, CancellationToken cancellationToken)
    {
        var labels = new PlotLabels(
            text["Trend"],
            text["PeptideAxis"],
            text["WeightAxis"],
            text["Threshold"],
            text["Date"]
        );
        try
        {
            var plot = await mediator.Send(
                new RenderTrendPlot(flagId, labels, CultureInfo.CurrentCulture, Actor),
                cancellationToken
            );
            return Content(plot.Svg, "image/svg+xml");
        }
        catch (Errors.NotFoundException)
        {
            return NotFound();
        }
    }

    public Task<IActionResult> OnPostConfirmAsync(string flagId, CancellationToken cancellationToken) =>
        ActAsync(
            flagId,
            async () =>
            {
                var token = await HttpContext.GetTokenAsync(DashboardAuthentication.Scheme, "access_token");
                var result = await mediator.Send(
                    new ConfirmFlag(flagId, Version, Actor, FhirServer, token),
                    cancellationToken
                );
                return result.EhrOutcome.StartsWith("posted", StringComparison.Ordinal) ? "ehr-posted"
                    : result.EhrOutcome.StartsWith("failed", StringComparison.Ordinal) ? "ehr-failed"
                    : "confirm";
            },
            cancellationToken
        );

    public Task<IActionResult> OnPostDismissAsync(string flagId, CancellationToken cancellationToken) =>
        ActAsync(
            flagId,
            async () =>
            {
                if (!HfCards.OverrideReasonCodes.Contains(Reason, StringComparer.Ordinal))
                    return null;
                await mediator.Send(
                    new CloseFlag(
                        flagId,
                        string.IsNullOrWhiteSpace(Comment) ? null : Comment.Trim(),
                        Actor,
                        // Dashboard sessions are clinicians of the practice (role clinician), not SMART scopes: the
                        // worklist shows every patient with a flag, so the review and its actions do too.
                        PatientAccess.AnyPatient
                    )
                    {
                        ReasonCode = Reason,
                        ExpectedVersion = Version,
                    },
                    cancellationToken
                );
                return "dismiss";
            },
            cancellationToken,
            invalid: "ReasonRequired"
        );

    public Task<IActionResult> OnPostReopenAsync(string flagId, CancellationToken cancellationToken) =>
        ActAsync(
            flagId,
            async () =>
            {
                await mediator.Send(new ReopenFlag(flagId, Version, Actor), cancellationToken);
                return "reopen";
            },
            cancellationToken
        );

    public Task<IActionResult> OnPostNoteAsync(string flagId, CancellationToken cancellationToken) =>
        ActAsync(
            flagId,
            async () =>
            {
                if (string.IsNullOrWhiteSpace(Note) || Note.Length > 2000)
                    return null;
                await mediator.Send(new AddReviewNote(flagId, Note, Actor), cancellationToken);
                return "note";
            },
            cancellationToken,
            invalid: "NoteRequired"
        );

    /// <summary>
    /// Runs an action; on success back to the page (post/redirect/get); invalid input (the action answered null) or a
    /// concurrent change shows the page again with the reason.
    /// </summary>
    private async Task<IActionResult> ActAsync(
        string flagId,
        Func<Task<string?>> action,
        CancellationToken cancellationToken,
        string? invalid = null
    )
    {
        string? done = null;
        try
        {
            done = await action();
        }
        catch (FlagChangedException changed)
        {
            Conflict = changed.Changes;
        }
        catch (DbUpdateConcurrencyException)
        {
            Conflict = [];
        }
        catch (Errors.NotFoundException)
        {
            return NotFound();
        }
        if (Conflict is null && done is not null)
            return LocalRedirect($"/dashboard/flags/{Uri.EscapeDataString(flagId)}?done={done}");
        if (!await LoadAsync(flagId, cancellationToken))
            return NotFound();
        if (Conflict is not null)
        {
            if (Conflict.Count == 0)
                Conflict = View
                    .History.Select(h => new FlagChange(h.Kind, h.Actor, h.At, h.ReasonCode))
                    .Take(1)
                    .ToList();
            Response.StatusCode = StatusCodes.Status409Conflict;
        }
        else
        {
            Error = invalid;
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        return Page();
    }

    private async Task<bool> LoadAsync(string flagId, CancellationToken cancellationToken)
    {
        try
        {
            View = await mediator.Send(new LoadReview(flagId, Actor), cancellationToken);
            return true;
        }
        catch (Errors.NotFoundException)
        {
            return false;
        }
    }

    /// <summary>A passage cut into plain text and sign mentions, in order.</summary>
    public static IEnumerable<(string Text, PassageMention? Mention)> Segments(NotePassage passage)
    {
        ArgumentNullException.ThrowIfNull(passage);
        var position = 0;
        foreach (var mention in passage.Mentions.OrderBy(m => m.Start))
        {
            if (mention.Start < position || mention.Start + mention.Length > passage.Text.Length)
                continue;
            if (mention.Start > position)
                yield return (passage.Text[position..mention.Start], null);
            yield return (passage.Text.Substring(mention.Start, mention.Length), mention);
            position = mention.Start + mention.Length;
        }
        if (position < passage.Text.Length)
            yield return (passage.Text[position..], null);
    }

    /// <summary>
    /// A passage as HTML: text encoded, each sign mention in a mark whose class says affirmed, negated or hedged, with
    /// the assertion spelled out for screen readers. Built here rather than in the view so that no markup whitespace
    /// falls between a mention and the punctuation after it.
    /// </summary>
    public IHtmlContent Passage(NotePassage passage)
    {
        ArgumentNullException.ThrowIfNull(passage);
        var html = new HtmlContentBuilder();
        if (passage.Before)
            html.Append("… ");
        foreach (var (segment, mention) in Segments(passage))
        {
            if (mention is null)
            {
                html.Append(segment);
                continue;
            }
            html.AppendHtml($"<mark class=\"sign sign-{WebUtility.HtmlEncode(mention.Assertion.ToLowerInvariant())}\">")
                .Append(segment)
                .AppendHtml("<span class=\"visually-hidden\"> (")
                .Append(text[mention.Assertion])
                .AppendHtml(")</span></mark>");
        }
        if (passage.After)
            html.Append(" …");
        return html;
    }

    /// <summary>A note's heading: its date, or that it has none.</summary>
    public string NoteHeading(ReviewNote note)
    {
        ArgumentNullException.ThrowIfNull(note);
        return note.When is { } when
            ? string.Format(CultureInfo.CurrentCulture, text["NoteHeader"], DashboardFormat.Date(when))
            : text["UndatedNote"];
    }

    /// <summary>Who made a conflicting change and when, with its coded reason ("medico-1, 3 jun 2026 (…)").</summary>
    public string ConflictDetails(FlagChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var reason = change.ReasonCode is { } code ? $" ({DashboardFormat.Code(text, "Reason", code)})" : "";
        return $"{DashboardFormat.Actor(change.Actor)}, {DashboardFormat.Date(change.At)}{reason}";
    }

    /// <summary>Who made a history entry and when, then its coded reason and comment, each after " · ".</summary>
    public string HistoryDetails(ReviewHistoryItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var reason = item.ReasonCode is { } code ? $" · {DashboardFormat.Code(text, "Reason", code)}" : "";
        var comment = item.Comment is { } said ? $" · «{said}»" : "";
        return $"{DashboardFormat.Actor(item.Actor)}, {DashboardFormat.Date(item.At)}{reason}{comment}";
    }

    /// <summary>A link to the source resource in the EHR when this session came from one; null otherwise.</summary>
    public string? SourceLink(string reference) =>
        FhirServer is { } server
        && reference.Count(c => c == '/') == 1
        && !reference.Contains(':', StringComparison.Ordinal)
            ? $"{server.TrimEnd('/')}/{reference}"
            : null;
}
