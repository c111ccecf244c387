namespace Rlvr.Metrics;

/// <summary>The metrics sink component: opens a sink for each run, in that run's folder.</summary>
/// <remarks>Registered with <c>AddMetricsSink</c> and selected by name in <c>Components:MetricsSinks</c>.</remarks>
public interface IMetricsSinkFactory
{
    /// <summary>A sink for <paramref name="run"/>; it writes nowhere but under <see cref="MetricsRun.Folder"/>.</summary>
    IMetricsSink Create(MetricsRun run);
}
