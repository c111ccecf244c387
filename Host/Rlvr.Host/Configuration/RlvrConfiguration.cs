// The configuration of a run, lowest precedence first: the JSON file, RLVR_-prefixed environment variables
// (RLVR_Models__Transformer__Layers=8), then command-line overrides (--Models:Transformer:Layers=8).
using Microsoft.Extensions.Configuration;
using Rlvr.Host.Studies;

namespace Rlvr.Host.Configuration;

/// <summary>Builds the layered configuration of a run.</summary>
public static class RlvrConfiguration
{
    /// <summary>The prefix of environment variables that override configuration.</summary>
    public const string EnvironmentPrefix = "RLVR_";

    /// <summary>The sections the host itself reads; every other top-level section belongs to a component kind.</summary>
    public static IReadOnlyList<string> HostSections { get; } = ["Components", "Plugins", "Serilog", "Run", "Pretrain", "Evaluation", "Train", "Rollout", "Arms", "Seeds", "RlSeeds", "Bases", "DoseResponse"];

    /// <summary>The top-level sections under which components keep their options, one child section per component.</summary>
    public static IReadOnlyList<string> ComponentRoots { get; } =
        ["Models", "Tokenizers", "Tasks", "Verifiers", "Rewards", "Algorithms", "Curricula", "Metrics"];

    /// <summary>Builds the configuration from <paramref name="file"/> (optional), the environment and <paramref name="overrides"/>.</summary>
    /// <remarks>
    /// An override of a list sets the list whole: <c>--Seeds=1,2,3</c> (comma-separated; one item, or none with
    /// <c>--Seeds=</c>). A key is a list where the file or environment holds it as one, or, where they do not hold it at
    /// all, when the value has a comma. <c>--Seeds:1=5</c> still sets one item.
    /// </remarks>
    /// <exception cref="ConfigurationErrorsException">The file is missing or is not valid JSON, or an override is malformed or would be ignored.</exception>
    public static IConfigurationRoot Build(string? file, IReadOnlyList<string> overrides)
    {
        var builder = new ConfigurationBuilder();
        if (file is not null)
        {
            string path = Path.GetFullPath(file);
            if (!File.Exists(path)) throw new ConfigurationErrorsException($"The config file {path} does not exist.");
            builder.AddJsonFile(path, optional: false, reloadOnChange: false);
        }
        builder.AddEnvironmentVariables(EnvironmentPrefix);
        var pairs = ParseOverrides(overrides);
        try
        {
            var configuration = builder.Build();
            return StudyBases.Select(pairs.Count == 0 ? configuration : WithOverrides(configuration, pairs));
        }
        catch (InvalidDataException e)
        {
            throw new ConfigurationErrorsException($"The config file {Path.GetFullPath(file!)} is not valid JSON: {Where(e)}");
        }
    }

    // The parser's position (0-based line, byte in line) as an editor shows it; a duplicate key has no position.
    private static string Where(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is not System.Text.Json.JsonException { LineNumber: long line, BytePositionInLine: long column } json) continue;
            int end = json.Message.IndexOf(" Path:", StringComparison.Ordinal) is >= 0 and int path ? path : json.Message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            return $"line {line + 1}, column {column + 1}: {(end >= 0 ? json.Message[..end] : json.Message)}";
        }
        return e.InnerException?.Message ?? e.Message;
    }

    // Accepts --Section:Key=value and --Section:Key value; anything else is a typo the user should hear about.
    private static List<(string Key, string Value)> ParseOverrides(IReadOnlyList<string> overrides)
    {
        var pairs = new List<(string Key, string Value)>();
        for (int i = 0; i < overrides.Count; i++)
        {
            string token = overrides[i];
            bool isKey = token.StartsWith("--", StringComparison.Ordinal) && token.Length > 2 && token[2] != '=';
            int equals = token.IndexOf('=');
            if (isKey && equals > 0) pairs.Add((token[2..equals], token[(equals + 1)..]));
            else if (isKey && i + 1 < overrides.Count && !overrides[i + 1].StartsWith("--", StringComparison.Ordinal)) pairs.Add((token[2..], overrides[++i]));
            else throw new ConfigurationErrorsException(
                $"'{token}' is not a configuration override; write --Section:Key=value, for example --Models:Transformer:Layers=8.");
        }
        return pairs;
    }

    // The overrides laid over the file and environment, in order. A list is replaced whole, which layered providers
    // cannot do (a shorter list would keep the items beyond it), so the merged values are copied and edited.
    private static IConfigurationRoot WithOverrides(IConfiguration lower, IReadOnlyList<(string Key, string Value)> overrides)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        // Values, and the empty lists and objects ("Arms": {}, a null without children) that clear a section in an overlay.
        foreach (var (key, value) in lower.AsEnumerable())
            if (value is not null || !lower.GetSection(key).GetChildren().Any()) values[key] = value;
        foreach (var (key, value) in overrides)
        {
            var children = values.Keys.Where(k => k.StartsWith(key + ":", StringComparison.OrdinalIgnoreCase))
                .Select(k => k[(key.Length + 1)..].Split(':')[0]).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            bool isList = children.Count > 0 ? children.All(c => int.TryParse(c, out _)) : value.Contains(',') && values.GetValueOrDefault(key) is null;
            if (children.Count > 0 && !isList)
                throw new ConfigurationErrorsException(
                    $"'--{key}={value}': {key} is a section, not a value, and would be ignored; set one of its keys, e.g. --{key}:{children[0]}=...");
            if (!isList)
            {
                values[key] = value;
                continue;
            }
            foreach (string old in values.Keys.Where(k => k.Equals(key, StringComparison.OrdinalIgnoreCase) || k.StartsWith(key + ":", StringComparison.OrdinalIgnoreCase)).ToList())
                values.Remove(old);
            string[] items = value.Length == 0 ? [] : value.Split(',', StringSplitOptions.TrimEntries);
            for (int i = 0; i < items.Length; i++) values[$"{key}:{i}"] = items[i];
        }
        return new ConfigurationBuilder().AddInMemoryCollection(values).Build();
    }

    /// <summary>
    /// <paramref name="configuration"/> with the section at <paramref name="path"/> laid over its top: every key of the
    /// section overrides the same key at the top, and a list the section gives replaces the top's list whole
    /// (configuration keeps a list as keys 0, 1, ..., so a plain overlay would keep the top's elements past the
    /// section's last); an empty list or object (<c>[]</c>, <c>{}</c>) clears the top's (<c>"Arms": {}</c>: no arms).
    /// An arm's configuration is its <c>Arms:&lt;arm&gt;</c> laid over the study; a base's, its <c>Bases:&lt;base&gt;</c>.
    /// Keys under <paramref name="dropping"/> are left out.
    /// </summary>
    public static IConfigurationRoot Overlay(IConfiguration configuration, string path, string? dropping = null)
    {
        var section = configuration.GetSection(path);
        var removed = Replaced(section, configuration).Select(list => list + ConfigurationPath.KeyDelimiter)
            .Concat(dropping is null ? [] : [dropping + ConfigurationPath.KeyDelimiter]).ToList();
        var kept = configuration.AsEnumerable().Where(pair => !removed.Any(prefix => pair.Key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            && (dropping is null || !pair.Key.Equals(dropping, StringComparison.OrdinalIgnoreCase)));
        var overlay = section.AsEnumerable(makePathsRelative: true).Where(pair => pair.Value is not null);
        return new ConfigurationBuilder().AddInMemoryCollection(kept).AddInMemoryCollection(overlay).Build();
    }

    // The paths, relative to the section, whose children at the top it replaces whole: the lists it gives (sections whose
    // keys are 0, 1, ...), and the empty lists and objects it gives ("Rewards": [], "Arms": {}: a key with an empty value
    // and no children) where the top has children.
    private static IEnumerable<string> Replaced(IConfigurationSection overlay, IConfiguration top)
    {
        static bool IsList(IConfigurationSection s) => s.GetChildren().ToList() is { Count: > 0 } children && children.All(c => int.TryParse(c.Key, out _));
        var pending = new Stack<IConfigurationSection>(overlay.GetChildren());
        while (pending.Count > 0)
        {
            var section = pending.Pop();
            string path = section.Path[(overlay.Path.Length + 1)..];
            if (IsList(section) || (string.IsNullOrEmpty(section.Value) && !section.GetChildren().Any() && top.GetSection(path).GetChildren().Any())) yield return path;
            else foreach (var child in section.GetChildren()) pending.Push(child);
        }
    }
}
