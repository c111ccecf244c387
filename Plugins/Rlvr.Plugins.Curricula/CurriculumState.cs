// The checkpointed state of a curriculum is a JSON object tagged with the curriculum's name, so that a run resumed
// with another curriculum is refused instead of reading a state it does not understand.
using System.Text.Json.Nodes;

namespace Rlvr.Plugins.Curricula;

internal static class CurriculumState
{
    private const string NameKey = "curriculum";

    /// <summary>An empty state of <paramref name="curriculum"/>.</summary>
    public static JsonObject New(string curriculum) => new() { [NameKey] = curriculum };

    /// <summary>Throws unless <paramref name="state"/> was saved by <paramref name="curriculum"/>.</summary>
    /// <exception cref="InvalidDataException">It was saved by another curriculum, or is not a curriculum state.</exception>
    public static void Check(JsonObject state, string curriculum)
    {
        ArgumentNullException.ThrowIfNull(state);
        string? saved = state[NameKey] is JsonValue value && value.TryGetValue(out string? name) ? name : null;
        if (saved != curriculum)
            throw new InvalidDataException(
                $"The checkpoint holds the state of curriculum '{saved ?? "(none)"}', not '{curriculum}'; resume with the curriculum the run started with.");
    }

    /// <summary>The value of <paramref name="key"/>, which a state of <paramref name="curriculum"/> always holds.</summary>
    /// <exception cref="InvalidDataException">The key is missing.</exception>
    public static JsonNode Required(JsonObject state, string key, string curriculum) =>
        state[key] ?? throw new InvalidDataException($"The checkpointed state of curriculum '{curriculum}' has no '{key}'.");
}
