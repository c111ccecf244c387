namespace Rlvr.Metrics;

/// <summary>The metrics of one step of one stage of a run.</summary>
/// <param name="Stage">The pipeline stage, for example <c>"pretrain"</c>, <c>"rl"</c> or <c>"eval"</c>.</param>
/// <param name="Step">The step within the stage, from 1.</param>
/// <param name="Values">The metric values by name, for example <c>"loss"</c> or <c>"reward/mean"</c>.</param>
/// <param name="Timestamp">When the step ended.</param>
public sealed record MetricsRecord(string Stage, long Step, IReadOnlyDictionary<string, double> Values, DateTimeOffset Timestamp);
