namespace Rlvr.Metrics;

/// <summary>The run a metrics sink is opened for.</summary>
/// <param name="Folder">The run folder, <c>&lt;RunRoot&gt;/&lt;study&gt;/&lt;arm&gt;/seed-&lt;n&gt;</c>: a sink's files go here.</param>
/// <param name="Study">The study's name (<c>Run:Name</c>).</param>
/// <param name="Arm">The arm's name, or <c>"base"</c> for the base run.</param>
/// <param name="Seed">The base seed (<c>Run:Seed</c>).</param>
/// <param name="RlSeed">An arm's RL seed (<c>Run:RlSeed</c>); null for the base and for a study without RL seeds.</param>
/// <param name="Kept">
/// The records the run keeps from before, in order: a resumed run's up to its checkpoint, a model evaluated again's
/// training records; empty for a fresh run. A sink with a file of its own writes them first, so that it holds each step once.
/// </param>
public sealed record MetricsRun(string Folder, string Study, string Arm, int Seed, int? RlSeed, IReadOnlyList<MetricsRecord> Kept);
