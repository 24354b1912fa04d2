using System.Text.Json;
using System.Text.Json.Nodes;

namespace Clinical.GpuKit;

/// <summary>JSON arrays of ids and floats through JsonNode, which needs no reflection in a trimmed publish.</summary>
internal static class Ints
{
    public static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static JsonArray Row(IEnumerable<int> ids) => [.. ids.Select(i => (JsonNode?)i)];

    public static JsonArray Rows(IEnumerable<int[]> rows) => [.. rows.Select(r => (JsonNode?)Row(r))];

    public static JsonArray Strings(IEnumerable<string> values) => [.. values.Select(v => (JsonNode?)v)];

    public static int[] ReadRow(JsonNode node) => [.. node.AsArray().Select(x => x!.GetValue<int>())];

    public static IReadOnlyList<int[]> ReadRows(JsonNode node) => [.. node.AsArray().Select(r => ReadRow(r!))];

    public static float[] ReadFloats(JsonNode node) => [.. node.AsArray().Select(x => (float)x!.GetValue<double>())];
}
