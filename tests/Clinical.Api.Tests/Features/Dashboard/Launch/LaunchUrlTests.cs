using Clinical.Api.Features.CdsHooks;
using Microsoft.Extensions.DependencyInjection;

namespace Clinical.Api.Tests.Features.Dashboard.Launch;

public sealed class LaunchUrlTests
{
    [Fact]
    public void Given_the_service_public_URL_When_cards_link_the_dashboard_Then_the_link_is_its_SMART_launch()
    {
        using var factory = new ClinicalApiFactory();

        var options = factory.Services.GetRequiredService<CdsHooksOptions>();

        Assert.Equal($"{TestIdentityProvider.BaseUrl}/dashboard/launch", options.LaunchUrl);
        Assert.Equal(
            "https://dashboard.example.org/launch",
            new CdsHooksOptions { DashboardUrl = "https://dashboard.example.org/launch", PublicBaseUrl = "x" }.LaunchUrl
        );
    }
}
