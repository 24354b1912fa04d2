using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Clinical.Api.Tests.Features.Dashboard.Review;

[Collection(DashboardBrowser.Name)]
[Trait("Category", "Browser")]
public sealed class ReviewTests(DashboardSite site)
{
    [Fact]
    public async Task Given_a_flag_with_notes_When_reviewed_Then_plot_mentions_and_summary_show()
    {
        var flag = await site.FlagOfAsync("Patient/fx-sospita-ca");
        var page = await site.SignedInAsync();

        await page.GotoAsync($"/dashboard/flags/{flag}");

        var plotWidth = await page.EvalOnSelectorAsync<int>(
            "img.plot",
            "img => img.complete ? img.naturalWidth : new Promise(r => img.onload = () => r(img.naturalWidth))"
        );
        Assert.Equal(860, plotWidth);
        var negated = await page.Locator("blockquote mark.sign-negated").AllInnerTextsAsync();
        Assert.Contains(negated, text => text.StartsWith("ortopnea", StringComparison.Ordinal));
        var affirmed = await page.Locator("blockquote mark.sign-affirmed").AllInnerTextsAsync();
        Assert.Contains(affirmed, text => text.StartsWith("crepitants", StringComparison.Ordinal));
        Assert.Equal(
            "line-through",
            await page.EvalOnSelectorAsync<string>(
                "blockquote mark.sign-negated",
                "m => getComputedStyle(m).textDecorationLine"
            )
        );
        Assert.Contains("crepitants bibasals", await page.InnerTextAsync(".summary-text"), StringComparison.Ordinal);
        Assert.Contains("Solicitar NT-proBNP", await page.InnerTextAsync(".next-step"), StringComparison.Ordinal);
        await page.ScreenshotAsync(
            new PageScreenshotOptions { Path = Path.Combine(DashboardSite.Screenshots, "review.png"), FullPage = true }
        );
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Given_a_flag_When_dismissed_with_a_reason_Then_it_is_inactive_off_the_worklist_and_audited()
    {
        var (flag, patient) = await CopyAsync("Paciente Para Descartar");
        var page = await site.SignedInAsync();
        await page.GotoAsync($"/dashboard/flags/{flag}");

        await page.SelectOptionAsync("#reason", "alternative-explanation");
        await page.FillAsync("#comment", "EPOC reagudizada explica la disnea");
        await page.ClickAsync("form.dismiss button[type=submit]");
        await DashboardSite.ReachAsync(page, "**done=dismiss");

        Assert.Contains("Alerta descartada.", await page.InnerTextAsync(".notice"), StringComparison.Ordinal);
        var stored = await site.InScopeAsync(db => db.Screenings.AsNoTracking().SingleAsync(s => s.FlagId == flag));
        Assert.Equal("inactive", stored.FlagStatus);
        var change = await site.InScopeAsync(db =>
            db.FlagStatusChanges.AsNoTracking().SingleAsync(c => c.FlagId == flag)
        );
        Assert.Equal("alternative-explanation", change.ReasonCode);
        Assert.Equal("EPOC reagudizada explica la disnea", change.Reason);
        Assert.True(
            site.InScope(db =>
                db.AuditRecords.Any(a =>
                    a.Action == "close-flag" && a.PatientReferences == patient && a.Outcome == "success"
                )
            )
        );
        await page.GotoAsync("/dashboard/worklist");
        Assert.DoesNotContain("Paciente Para Descartar", await page.InnerTextAsync("main"), StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Given_two_GPs_on_one_flag_When_both_dismiss_Then_the_second_is_refused_and_sees_what_changed()
    {
        var (flag, _) = await CopyAsync("Paciente Compartido");
        var first = await site.SignedInAsync("Practitioner/medico-1");
        var second = await site.SignedInAsync("Practitioner/medico-3");
        await first.GotoAsync($"/dashboard/flags/{flag}");
        await second.GotoAsync($"/dashboard/flags/{flag}");

        await first.SelectOptionAsync("#reason", "already-evaluated");
        await first.ClickAsync("form.dismiss button[type=submit]");
        await DashboardSite.ReachAsync(first, "**done=dismiss");
        await second.SelectOptionAsync("#reason", "patient-declined");
        var response = await second.RunAndWaitForResponseAsync(
            () => second.ClickAsync("form.dismiss button[type=submit]"),
            r => r.Url.Contains("handler=dismiss", StringComparison.Ordinal)
        );

        Assert.Equal(409, response.Status);
        var alert = await second.InnerTextAsync("[role=alert]");
        Assert.Contains("Otra persona ha cambiado esta alerta", alert, StringComparison.Ordinal);
        Assert.Contains("Descartada — medico-1", alert, StringComparison.Ordinal);
        Assert.Contains("Ya valorado o en estudio", alert, StringComparison.Ordinal);
        var changes = await site.InScopeAsync(db => db.FlagStatusChanges.CountAsync(c => c.FlagId == flag));
        Assert.Equal(1, changes);
        await first.Context.CloseAsync();
        await second.Context.CloseAsync();
    }

    private async Task<(string Flag, string Patient)> CopyAsync(string name)
    {
        var template = await site.FlagOfAsync("Patient/fx-sospita-ca");
        var flags = await site.InScopeAsync(db =>
            FlagSeeder.CopyAsync(
                db,
                template,
                [
                    new FlagSeeder.Variant(
                        name,
                        "moderate",
                        0.5,
                        70,
                        "Practitioner/medico-1",
                        "Organization/cs-norte",
                        ClinicalApiFactory.Now.AddHours(-1)
                    ),
                ]
            )
        );
        var patient = await site.InScopeAsync(db =>
            db.Screenings.Where(s => s.FlagId == flags[0]).Select(s => s.PatientReference).SingleAsync()
        );
        return (flags[0], patient);
    }
}
