using Microsoft.Playwright;

namespace Clinical.Api.Tests.Features.Dashboard.Launch;

[Collection(DashboardBrowser.Name)]
[Trait("Category", "Browser")]
public sealed class SmartLaunchTests(DashboardSite site)
{
    [Fact]
    public async Task Given_an_EHR_launch_When_followed_Then_the_review_opens_and_confirm_reaches_the_EHR()
    {
        var page = await site.NewPageAsync();

        await page.GotoAsync(site.Ehr.LaunchUrl("fx-posible-ic"));
        await DashboardSite.ReachAsync(page, "**/dashboard/flags/**");

        Assert.Contains("Anselmo Ficticio Dos", await page.InnerTextAsync("h1"), StringComparison.Ordinal);
        Assert.Contains("Dra. Marta Vidal", await page.InnerTextAsync("header"), StringComparison.Ordinal);
        await page.ScreenshotAsync(
            new PageScreenshotOptions
            {
                Path = Path.Combine(DashboardSite.Screenshots, "review-after-launch.png"),
                FullPage = true,
            }
        );
        var actor = $"dra-vidal@{site.Ehr.BaseUrl}/";
        Assert.True(
            site.InScope(db =>
                db.AuditRecords.Any(a =>
                    a.Action == "dashboard-review"
                    && a.Actor == actor
                    && a.PatientReferences == "Patient/fx-posible-ic"
                    && a.Outcome == "success"
                )
            )
        );

        await page.ClickAsync("form[action*='handler=confirm'] button");
        await DashboardSite.ReachAsync(page, "**done=ehr-posted");

        var posted = Assert.Single(site.Ehr.PostedServiceRequests);
        Assert.StartsWith("Bearer ", posted, StringComparison.Ordinal);
        Assert.Contains("\"supportingInfo\":[{\"reference\":\"RiskAssessment/", posted, StringComparison.Ordinal);
        Assert.Contains("\"status\":\"draft\"", posted, StringComparison.Ordinal);
        Assert.DoesNotContain("reasonReference", posted, StringComparison.Ordinal);
        Assert.True(site.InScope(db => db.ReviewEvents.Any(r => r.Kind == "confirm" && r.Actor == actor)));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Given_a_callback_with_another_state_When_it_arrives_Then_the_launch_is_refused_without_a_session()
    {
        var page = await site.NewPageAsync();
        site.Ehr.ForgeNextState = true;

        await page.GotoAsync(site.Ehr.LaunchUrl("fx-posible-ic"));
        await DashboardSite.ReachAsync(page, "**/dashboard/launch/failed?reason=State");

        Assert.Contains("state", await page.InnerTextAsync("main"), StringComparison.Ordinal);
        await page.GotoAsync("/dashboard/worklist");
        Assert.Contains("/dashboard/sign-in", page.Url, StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Given_an_iss_outside_the_allow_list_When_launched_Then_nothing_is_contacted_and_it_says_why()
    {
        var page = await site.NewPageAsync();
        var requests = new List<string>();
        page.Request += (_, request) => requests.Add(request.Url);

        await page.GotoAsync(site.Ehr.LaunchUrl("fx-posible-ic", iss: "http://localhost:9/fhir"));

        Assert.EndsWith("/dashboard/launch/failed?reason=UnknownIssuer", page.Url, StringComparison.Ordinal);
        Assert.Contains("no está en la lista", await page.InnerTextAsync("main"), StringComparison.Ordinal);
        Assert.DoesNotContain(requests, url => url.StartsWith(site.Ehr.BaseUrl, StringComparison.Ordinal));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Given_a_code_that_expired_before_the_exchange_When_the_callback_runs_Then_the_launch_fails()
    {
        var page = await site.NewPageAsync();
        site.Ehr.ExpireNextCode = true;
        try
        {
            await page.GotoAsync(site.Ehr.LaunchUrl("fx-posible-ic"));
            await DashboardSite.ReachAsync(page, "**/dashboard/launch/failed?reason=Token");
        }
        finally
        {
            site.Ehr.Clock.Advance(TimeSpan.FromMinutes(-5));
        }

        Assert.Contains("caducado", await page.InnerTextAsync("main"), StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }
}
