// One run folder of a study, runs/<study>/<arm>/seed-<n>/ (seed-<n>-rl-<r>/ for an RL seed), as the runners left it.
using System.Text.Json.Nodes;
using Rlvr.Host.Evaluation;
using Rlvr.Host.Runs;
using Rlvr.Metrics;

namespace Rlvr.Reporting;

/// <summary>What one run folder holds.</summary>
/// <param name="Evaluation">evaluation.json; null while the run has not been evaluated.</param>
/// <param name="Metrics">metrics.jsonl: the last record of each stage and step (a rerun appends to the file).</param>
/// <param name="Config">config.json, the resolved configuration the run used; null when missing.</param>
/// <param name="Status">status.json, with the software that computed the run; null when missing.</param>
/// <param name="Replicate">evaluation.replicate.json, a base's second evaluation with another sampling seed; null when missing.</param>
/// <param name="RlSeed">An arm run's RL seed under base seed <paramref name="Seed"/>; null for a run without one.</param>
public sealed record RunData(string Arm, int Seed, string Folder, EvaluationResult? Evaluation, IReadOnlyList<MetricsRecord> Metrics, JsonObject? Config,
    RunStatus? Status = null, EvaluationResult? Replicate = null, int? RlSeed = null)
{
    /// <summary>The run's weights.</summary>
    public string ModelPath => Path.Combine(Folder, RunPaths.ModelFile);

    /// <summary>The run as the study folder names it: <c>arm/seed-n</c>, or <c>arm/seed-n-rl-r</c>.</summary>
    public string Name => $"{Arm}/{RunPaths.RunFolderName(Seed, RlSeed)}";
}
