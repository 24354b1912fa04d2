using Clinical.Api.Persistence;
using Microsoft.Playwright;

namespace Clinical.Api.Tests.Features.Dashboard.Worklist;

[Collection(DashboardBrowser.Name)]
[Trait("Category", "Browser")]
public sealed class WorklistTests(DashboardSite site)
{
    private const string Gp = "Practitioner/medico-2";

    [Fact]
    public async Task Given_31_flags_of_a_GP_When_paging_and_filtering_Then_rows_counts_and_new_ones_follow()
    {
        var template = await site.FlagOfAsync("Patient/fx-sospita-ca");
        var yesterday = ClinicalApiFactory.Now.AddDays(-1);
        var variants = Enumerable
            .Range(1, 31)
            .Select(i => new FlagSeeder.Variant(
                $"Paciente Sintético {i:00}",
                i % 3 == 0 ? "high" : "moderate",
                i % 3 == 0 ? 0.9 : 0.5,
                60 + i,
                Gp,
                i % 2 == 0 ? "Organization/cs-sur" : "Organization/cs-norte",
                (i <= 5 ? ClinicalApiFactory.Now.AddDays(-10) : yesterday).AddMinutes(i)
            ))
            .Append(
                new FlagSeeder.Variant(
                    "Paciente De Otro Médico",
                    "high",
                    0.95,
                    80,
                    "Practitioner/medico-4",
                    "Organization/cs-sur",
                    yesterday
                )
            );
        await site.InScopeAsync(db => FlagSeeder.CopyAsync(db, template, variants));
        await site.InScopeAsync(async db =>
        {
            db.ClinicianVisits.Add(
                new ClinicianVisit
                {
                    Actor = "medico-2@urn:clinical:development-sign-in",
                    LastSeenAt = ClinicalApiFactory.Now.AddDays(-2),
                    PreviousVisitAt = ClinicalApiFactory.Now.AddDays(-3),
                }
            );
            return await db.SaveChangesAsync();
        });

        var page = await site.SignedInAsync(Gp);

        Assert.Equal(25, await page.Locator("table.worklist tbody tr").CountAsync());
        var caption = await page.InnerTextAsync("caption");
        Assert.Contains("Página 1 de 2 (31 pacientes)", caption, StringComparison.Ordinal);
        Assert.DoesNotContain("Otro Médico", await page.InnerTextAsync("main"), StringComparison.Ordinal);
        Assert.Contains(
            "26 nuevas desde su última visita",
            await page.InnerTextAsync(".counts"),
            StringComparison.Ordinal
        );
        Assert.Equal(25, await page.Locator("table.worklist .badge-new").CountAsync());
        var first = await page.InnerTextAsync("table.worklist tbody tr:first-child th");
        Assert.Contains("Paciente Sintético 31", first, StringComparison.Ordinal); // newest first
        await page.ScreenshotAsync(
            new PageScreenshotOptions
            {
                Path = Path.Combine(DashboardSite.Screenshots, "worklist.png"),
                FullPage = true,
            }
        );

        await page.ClickAsync("a[rel=next]");
        Assert.Equal(6, await page.Locator("table.worklist tbody tr").CountAsync());
        Assert.Equal(5, await page.Locator("table.worklist tbody tr:not(:has(.badge-new))").CountAsync());

        await page.SelectOptionAsync("#level", "high");
        await page.SelectOptionAsync("#practice", "Organization/cs-sur");
        await page.SelectOptionAsync("#age", "75-84");
        await page.ClickAsync("form.filters button[type=submit]");
        // high: i divisible by 3; cs-sur: even i; age 60 + i in 75–84: i 15..24 → i = 18, 24.
        var names = await page.Locator("table.worklist tbody th a").AllInnerTextsAsync();
        Assert.Equal(["Paciente Sintético 24", "Paciente Sintético 18"], names);
        Assert.Contains("level=high", page.Url, StringComparison.Ordinal);

        await page.UncheckAsync("#mine");
        await page.ClickAsync("form.filters button[type=submit]");
        Assert.Contains("Otro Médico", await page.InnerTextAsync("main"), StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }
}
