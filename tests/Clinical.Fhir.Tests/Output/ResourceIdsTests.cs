using Clinical.Fhir.Output;

namespace Clinical.Fhir.Tests.Output;

public sealed class ResourceIdsTests
{
    [Fact]
    public void Given_a_seed_When_ids_are_derived_Then_they_are_stable_version_5_UUIDs_distinct_per_kind_and_seed()
    {
        var first = ResourceIds.Derived("run-1|Patient/a");
        var again = ResourceIds.Derived("run-1|Patient/a");

        var id = Guid.Parse(first.For("RiskAssessment"));

        Assert.Equal(first.For("RiskAssessment"), again.For("RiskAssessment"));
        Assert.Equal(5, id.Version);
        Assert.Equal(0b10, id.Variant >> 2);
        Assert.NotEqual(first.For("RiskAssessment"), first.For("Flag"));
        Assert.NotEqual(first.For("RiskAssessment"), ResourceIds.Derived("run-1|Patient/b").For("RiskAssessment"));
        Assert.NotEqual(first.For("RiskAssessment"), ResourceIds.Derived("run-2|Patient/a").For("RiskAssessment"));
    }

    [Fact]
    public void Given_no_seed_When_ids_are_made_Then_each_is_new()
    {
        Assert.NotEqual(ResourceIds.Random.For("RiskAssessment"), ResourceIds.Random.For("RiskAssessment"));
    }
}
