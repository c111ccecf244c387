// Configurations side by side: config.json flattened to the keys the configuration system uses
// (Section:Key, arrays as Section:0), and an arm's keys against its base's. The Arms section is left out of the
// diff: its own entry is already laid over the arm's keys, and the others belong to other arms.
using System.Text.Json.Nodes;
using Rlvr.Host;

namespace Rlvr.Reporting;

/// <summary>Flattens and compares configurations.</summary>
public static class ConfigDiff
{
    /// <summary>Every leaf of <paramref name="config"/> by its configuration key.</summary>
    public static IReadOnlyDictionary<string, string?> Flatten(JsonNode? config)
    {
        var keys = new SortedDictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        void Walk(JsonNode? node, string key)
        {
            switch (node)
            {
                case JsonObject o: foreach (var (name, child) in o) Walk(child, key.Length == 0 ? name : $"{key}:{name}"); break;
                case JsonArray a: for (int i = 0; i < a.Count; i++) Walk(a[i], $"{key}:{i}"); break;
                default: keys[key] = node?.ToString(); break;
            }
        }
        Walk(config, "");
        return keys;
    }

    /// <summary>The keys whose values differ, the Arms section left out; a missing key has a null value.</summary>
    public static IReadOnlyList<(string Key, string? Base, string? Arm)> Diff(JsonNode? baseConfig, JsonNode? armConfig)
    {
        var b = Flatten(baseConfig);
        var a = Flatten(armConfig);
        return [.. b.Keys.Union(a.Keys, StringComparer.OrdinalIgnoreCase)
            .Where(key => !key.StartsWith(RlvrHostBuilder.ArmsSection + ":", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.OrdinalIgnoreCase)
            .Select(key => (key, b.GetValueOrDefault(key), a.GetValueOrDefault(key)))
            .Where(row => row.Item2 != row.Item3)];
    }
}
