using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace Rlvr.Host.Configuration;

/// <summary>Writes a resolved configuration (file, environment and overrides merged) as JSON, so a run can be repeated.</summary>
public static partial class ConfigurationJson
{
    public static string Serialize(IConfiguration configuration) =>
        ToNode(configuration.GetChildren()).ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    // Configuration has no types: every leaf is a string, and arrays are sections keyed 0, 1, 2, ...
    private static JsonNode ToNode(IEnumerable<IConfigurationSection> children)
    {
        var list = children.ToList();
        if (list.Count > 0 && list.All(c => int.TryParse(c.Key, out _)))
            return new JsonArray([.. list.OrderBy(c => int.Parse(c.Key)).Select(Leaf)]);
        var node = new JsonObject();
        foreach (var child in list.OrderBy(c => c.Key, StringComparer.Ordinal)) node[child.Key] = Leaf(child);
        return node;
    }

    private static JsonNode? Leaf(IConfigurationSection section) =>
        section.GetChildren().Any() ? ToNode(section.GetChildren()) : Typed(section.Value);

    /// <summary>
    /// A leaf as JSON: a number where its text is a JSON number (the text kept as written), a boolean where it is "True" or
    /// "False", else a string. The configuration system reads each back as the same text, so a run resumed from the file
    /// has the fingerprint it was started with; "true" typed on a command line stays a string, as JSON's true reads back "True".
    /// </summary>
    internal static JsonNode? Typed(string? value) => value switch
    {
        null => null,
        "True" or "False" => JsonValue.Create(value == "True"),
        _ when JsonNumber().IsMatch(value) => JsonNode.Parse(value),
        _ => JsonValue.Create(value),
    };

    [GeneratedRegex(@"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$")]
    private static partial Regex JsonNumber();
}
