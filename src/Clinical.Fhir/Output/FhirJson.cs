using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace Clinical.Fhir.Output;

/// <summary>FHIR JSON out, with Firely's System.Text.Json converters.</summary>
public static class FhirJson
{
    private static readonly JsonSerializerOptions Indented = new JsonSerializerOptions { WriteIndented = true }.ForFhir(
        ModelInfo.ModelInspector
    );
    private static readonly JsonSerializerOptions Compact = new JsonSerializerOptions().ForFhir(
        ModelInfo.ModelInspector
    );

    public static string Serialize(Resource resource, bool indented = true) =>
        JsonSerializer.Serialize(resource, resource.GetType(), indented ? Indented : Compact);

    public static T Deserialize<T>(string json)
        where T : Resource =>
        JsonSerializer.Deserialize<T>(json, Compact) ?? throw new JsonException($"Expected a {typeof(T).Name}.");
}
