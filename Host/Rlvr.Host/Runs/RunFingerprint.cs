// What a stage's results depend on, as text: the configuration keys that decide it, sorted. Two runs with the same
// fingerprint compute the same numbers, so a finished stage is reused and a checkpoint is resumed only under it.
using Microsoft.Extensions.Configuration;

namespace Rlvr.Host.Runs;

/// <summary>Fingerprints of configurations.</summary>
public static class RunFingerprint
{
    // Keys that change where and how a run executes or is logged, never its numbers; and the other arms.
    private static readonly string[] s_ignored = ["Run:Threads", "Run:Reuse", "Run:RunRoot", "Run:Parallel", "Plugins", "Serilog", "Logging", "Arms", "Seeds"];

    /// <summary>The keys and values under <paramref name="sections"/> (every section when null), one "key=value" a line.</summary>
    public static string Of(IConfiguration configuration, IEnumerable<string>? sections = null)
    {
        var pairs = sections is null ? configuration.AsEnumerable() : sections.SelectMany(s => configuration.GetSection(s).AsEnumerable());
        return string.Join("\n", pairs
            .Where(p => p.Value is not null && !s_ignored.Any(i => p.Key == i || p.Key.StartsWith(i + ":", StringComparison.OrdinalIgnoreCase)))
            .Select(p => $"{p.Key}={p.Value}")
            .Distinct()
            .Order(StringComparer.Ordinal));
    }
}
