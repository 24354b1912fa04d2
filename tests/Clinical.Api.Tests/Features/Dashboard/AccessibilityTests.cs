using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Clinical.Api.Tests.Features.Dashboard;

[Collection(DashboardBrowser.Name)]
[Trait("Category", "Browser")]
public sealed class AccessibilityTests(DashboardSite site)
{
    [Fact]
    public async Task Given_every_dashboard_page_When_axe_checks_it_Then_no_serious_or_critical_violation()
    {
        var flag = await site.FlagOfAsync("Patient/fx-sospita-ca");
        var anonymous = await site.NewPageAsync();
        var clinician = await site.SignedInAsync();
        var admin = await site.SignedInAsync(Clinical.Api.Features.Dashboard.SignIn.SignInModel.AdminDemo);
        var pages = new (IPage Page, string Url)[]
        {
            (anonymous, "/dashboard/sign-in"),
            (anonymous, "/dashboard/launch/failed?reason=State"),
            (clinician, "/dashboard/worklist"),
            (clinician, $"/dashboard/flags/{flag}"),
            (clinician, "/dashboard/patients/fx-sin-sospecha"),
            (clinician, "/dashboard/admin"),
            (admin, "/dashboard/admin"),
        };
        var problems = new List<string>();
        foreach (var (page, url) in pages)
        {
            await page.GotoAsync(url);
            var result = await page.RunAxe(
                new AxeRunOptions
                {
                    RunOnly = new RunOnlyOptions
                    {
                        Type = "tag",
                        Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"],
                    },
                }
            );
            problems.AddRange(
                result
                    .Violations.Where(v => v.Impact is "serious" or "critical")
                    .Select(v => $"{url}: {v.Id} ({v.Impact}) {string.Join(", ", v.Nodes.Select(n => n.Html))}")
            );
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        foreach (var page in new[] { anonymous, clinician, admin })
            await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Given_Catalan_chosen_When_pages_render_Then_words_numbers_and_dates_are_Catalan()
    {
        var flag = await site.FlagOfAsync("Patient/fx-sospita-ca");
        var page = await site.SignedInAsync();

        await page.SelectOptionAsync("#culture", "ca-ES");
        await page.ClickAsync("form.language button[type=submit]");
        await page.WaitForSelectorAsync("html[lang=ca]");

        Assert.Equal("ca", await page.GetAttributeAsync("html", "lang"));
        Assert.Equal("Pacients amb alerta de possible insuficiència cardíaca", await page.InnerTextAsync("h1"));
        await page.GotoAsync($"/dashboard/flags/{flag}");
        var summary = await page.InnerTextAsync(".summary-card");
        Assert.Contains("Nivell de risc", summary, StringComparison.Ordinal);
        Assert.Matches(@"30 (de )?juny 2026", summary.Replace('\u00a0', ' '));
        Assert.Matches(@"\d+\s%", summary);
        Assert.Contains("Decisió", await page.InnerTextAsync("main"), StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }
}
