using System.Text.Json;

namespace Clinical.Models.Text;

/// <summary>
/// The special tokens of a tokenizer as its files declare them. Roles (bos, eos, pad, unk, mask)
/// come from tokenizer_config.json or special_tokens_map.json, then config.json's *_token_id;
/// nothing is assumed. All holds every special token (added tokens marked special, control pieces).
/// </summary>
public sealed record SpecialTokens(
    int? Bos,
    int? Eos,
    int? Pad,
    int? Unk,
    int? Mask,
    IReadOnlyDictionary<string, int> All
)
{
    public bool IsSpecial(int id) => All.Values.Contains(id);

    public static int Require(int? id, string role) =>
        id
        ?? throw new TokenizerFilesException($"The tokenizer files declare no {role} token, which this model needs.");

    internal static SpecialTokens Read(
        string directory,
        Func<string, int?> idOf,
        IReadOnlyDictionary<string, int> declared,
        IReadOnlyDictionary<string, int>? modelIds = null
    )
    {
        var all = new Dictionary<string, int>(declared, StringComparer.Ordinal);
        var tokenByRole = new Dictionary<string, string>(StringComparer.Ordinal);
        var idByRole = new Dictionary<string, int>(StringComparer.Ordinal);
        string[] roles = ["bos", "eos", "pad", "unk", "mask"];

        foreach (var file in new[] { "tokenizer_config.json", "special_tokens_map.json" })
        {
            using var json = TryParse(Path.Combine(directory, file));
            if (json is null)
                continue;
            foreach (var role in roles)
            {
                if (
                    !tokenByRole.ContainsKey(role)
                    && json.RootElement.TryGetProperty(role + "_token", out var value)
                    && Content(value) is { } token
                )
                    tokenByRole[role] = token;
            }
            if (json.RootElement.TryGetProperty("added_tokens_decoder", out var decoder))
            {
                foreach (var added in decoder.EnumerateObject())
                {
                    if (
                        added.Value.TryGetProperty("special", out var special)
                        && special.GetBoolean()
                        && Content(added.Value) is { } content
                    )
                        all.TryAdd(content, int.Parse(added.Name, System.Globalization.CultureInfo.InvariantCulture));
                }
            }
        }
        using (var config = TryParse(Path.Combine(directory, "config.json")))
        {
            foreach (var role in roles)
            {
                if (
                    config is not null
                    && config.RootElement.TryGetProperty(role + "_token_id", out var id)
                    && id.ValueKind == JsonValueKind.Number
                )
                    idByRole[role] = id.GetInt32();
            }
        }

        int? Resolve(string role)
        {
            if (tokenByRole.TryGetValue(role, out var token))
            {
                var id = all.TryGetValue(token, out var known) ? known : idOf(token);
                if (id is null)
                    throw new TokenizerFilesException(
                        $"{directory}: the {role} token '{token}' is not in the vocabulary."
                    );
                all.TryAdd(token, id.Value);
                return id;
            }
            if (idByRole.TryGetValue(role, out var fromConfig))
                return fromConfig;
            return modelIds is not null && modelIds.TryGetValue(role, out var fromModel) && fromModel >= 0
                ? fromModel
                : null;
        }

        return new SpecialTokens(Resolve("bos"), Resolve("eos"), Resolve("pad"), Resolve("unk"), Resolve("mask"), all);
    }

    private static string? Content(JsonElement value) =>
        value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Object when value.TryGetProperty("content", out var content) => content.GetString(),
            _ => null,
        };

    private static JsonDocument? TryParse(string path) =>
        File.Exists(path) ? JsonDocument.Parse(File.ReadAllText(path)) : null;
}

/// <summary>
/// Tokenizer files that are missing, inconsistent or of an unsupported kind; the message names the file.
/// </summary>
public sealed class TokenizerFilesException(string message) : Exception(message);
