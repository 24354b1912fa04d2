using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using Clinical.Api.Hosting;
using Clinical.Fhir.Output;
using Clinical.Tests;
using Bundle = Hl7.Fhir.Model.Bundle;
using Task = System.Threading.Tasks.Task;

namespace Clinical.Api.Tests.Hosting;

public sealed class SmartScopesTests
{
    private static ClaimsPrincipal Token(string scope, string? patient = null)
    {
        var claims = new List<Claim> { new("scope", scope) };
        if (patient is not null)
            claims.Add(new Claim("patient", patient));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, "test"));
    }

    [Theory]
    [InlineData("system/RiskAssessment.search")]
    [InlineData("system/RiskAssessment.xyzc")]
    [InlineData("system/RiskAssessment.rc")]
    [InlineData("system/RiskAssessment.cc")]
    [InlineData("system/RiskAssessment.")]
    [InlineData("system/RiskAssessment.c?category=x")]
    [InlineData("system/riskassessment.c")]
    [InlineData("admin/RiskAssessment.c")]
    [InlineData("launch/patient")]
    public void Given_a_scope_outside_the_grammar_When_create_is_checked_Then_it_grants_nothing(string scope)
    {
        Assert.False(SmartScopes.Grants(Token(scope), "RiskAssessment", "c"));
    }

    [Theory]
    [InlineData("system/RiskAssessment.c", "c")]
    [InlineData("system/RiskAssessment.crs", "rs")]
    [InlineData("user/*.cruds", "c")]
    [InlineData("system/RiskAssessment.write", "c")]
    [InlineData("system/RiskAssessment.read", "rs")]
    [InlineData("system/*.*", "rs")]
    public void Given_a_scope_in_the_grammar_When_checked_Then_it_grants_its_letters(string scope, string needed)
    {
        Assert.Equal(PatientAccess.AnyPatient, SmartScopes.Access(Token(scope), "RiskAssessment", needed));
    }

    [Fact]
    public void Given_a_patient_scope_When_checked_Then_access_is_bound_to_the_token_patient_or_to_nobody()
    {
        Assert.Equal(
            new PatientAccess(true, "Patient/p1"),
            SmartScopes.Access(Token("patient/RiskAssessment.rs", "p1"), "RiskAssessment", "rs")
        );
        Assert.Equal(
            PatientAccess.None,
            SmartScopes.Access(Token("patient/RiskAssessment.rs"), "RiskAssessment", "rs")
        );
        Assert.Equal(
            PatientAccess.None,
            SmartScopes.Access(Token("patient/RiskAssessment.rs", "not an id!"), "RiskAssessment", "rs")
        );
    }
}

/// <summary>patient/ scopes through the real host: a token for one patient never reaches another's data.</summary>
public sealed class PatientScopeBindingTests : IClassFixture<ClinicalApiFactory>
{
    private readonly ClinicalApiFactory _factory;

    public PatientScopeBindingTests(ClinicalApiFactory factory)
    {
        _factory = factory;
        using var client = _factory.CreateFhirClient("system/RiskAssessment.crs system/Flag.rs");
        foreach (var fixture in new[] { FixtureFiles.PossibleUndiagnosedHeartFailure, FixtureFiles.NoSuspicion })
        {
            using var response = client
                .PostAsync(new Uri("/fhir/Bundle/$hf-screen", UriKind.Relative), Fhir(FixtureFiles.Bundle(fixture)))
                .GetAwaiter()
                .GetResult();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    private static StringContent Fhir(string json) =>
        new(json, Encoding.UTF8, new MediaTypeHeaderValue("application/fhir+json"));

    private HttpClient PatientClient(string scope, string patient, string[]? roles = null) =>
        _factory.CreateDefaultClient(
            new BearerTokenHandler(audience =>
                TestIdentityProvider.Mint(audience, scope, roles, extraClaims: new() { ["patient"] = patient })
            )
        );

    [Theory]
    [InlineData("/fhir/RiskAssessment?subject=Patient/fx-posible-ic", "patient/RiskAssessment.rs")]
    [InlineData("/fhir/Flag?subject=Patient/fx-posible-ic", "patient/Flag.rs")]
    public async Task Given_a_patient_scoped_token_When_searching_another_patient_Then_403(string query, string scope)
    {
        using var client = PatientClient(scope, "fx-sana");

        using var response = await client.GetAsync(new Uri(query, UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("only its own patient", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_patient_scoped_token_When_searching_its_own_patient_Then_the_results_come_back()
    {
        using var client = PatientClient("patient/RiskAssessment.rs", "fx-posible-ic");

        using var response = await client.GetAsync(
            new Uri("/fhir/RiskAssessment?subject=Patient/fx-posible-ic", UriKind.Relative)
        );

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEmpty(FhirJson.Deserialize<Bundle>(await response.Content.ReadAsStringAsync()).Entry);
    }

    [Fact]
    public async Task Given_a_patient_scoped_clinician_When_closing_another_patients_flag_Then_403_and_it_stays_active()
    {
        var flagId = _factory.InScope(db =>
            db.Screenings.First(s => s.PatientReference == "Patient/fx-posible-ic" && s.FlagId != null).FlagId!
        );
        using var client = PatientClient("patient/Flag.u", "fx-sana", [Roles.Clinician]);

        using var response = await client.PostAsync(
            new Uri($"/fhir/Flag/{flagId}/$close", UriKind.Relative),
            Fhir("""{"resourceType":"Parameters"}""")
        );

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("active", _factory.InScope(db => db.Screenings.Single(s => s.FlagId == flagId).FlagStatus));
    }

    [Fact]
    public async Task Given_a_patient_scoped_token_When_screening_another_patients_bundle_Then_403_and_nothing_stored()
    {
        using var client = PatientClient("patient/RiskAssessment.c", "fx-sana");
        var before = _factory.InScope(db => db.Screenings.Count());

        using var response = await client.PostAsync(
            new Uri("/fhir/Bundle/$hf-screen", UriKind.Relative),
            Fhir(FixtureFiles.Bundle(FixtureFiles.DiagnosedHeartFailure))
        );

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(before, _factory.InScope(db => db.Screenings.Count()));
    }

    [Theory]
    [InlineData("system/RiskAssessment.search")]
    [InlineData("system/RiskAssessment.xyzc")]
    public async Task Given_a_scope_outside_the_grammar_When_screening_Then_403(string scope)
    {
        using var client = _factory.CreateFhirClient(scope);

        using var response = await client.PostAsync(
            new Uri("/fhir/Bundle/$hf-screen", UriKind.Relative),
            Fhir(FixtureFiles.Bundle(FixtureFiles.NoSuspicion))
        );

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
