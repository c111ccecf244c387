using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;

namespace Rlvr.Host.Configuration;

/// <summary>Writes a resolved configuration (file, environment and overrides merged) as JSON, so a run can be repeated.</summary>
public static class ConfigurationJson
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
        section.GetChildren().Any() ? ToNode(section.GetChildren()) : JsonValue.Create(section.Value);
}
