namespace Rlvr.Index;

/// <summary>Everything the index holds about one run.</summary>
/// <param name="Config">The resolved configuration as config.json holds it; null when the run has none (yet).</param>
/// <param name="Metrics">The run's final numbers by name; <see cref="FinalMetrics"/> says which.</param>
public sealed record RunEntry(RunRecord Run, string? Config, IReadOnlyDictionary<string, double> Metrics);
