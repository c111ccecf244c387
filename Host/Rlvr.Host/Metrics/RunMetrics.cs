// The metrics sinks of one run: the host's own (metrics.jsonl, TensorBoard), then those Components:MetricsSinks
// names, each opened by its factory on the run's folder and closed together when the run ends.
using Microsoft.Extensions.DependencyInjection;
using Rlvr.Host.Plugins;
using Rlvr.Metrics;

namespace Rlvr.Host.Metrics;

/// <summary>The open metrics sinks of one run.</summary>
public sealed class RunMetrics : IDisposable
{
    /// <summary>The sinks every run opens, whether <c>Components:MetricsSinks</c> names them or not.</summary>
    public static IReadOnlyList<string> Always { get; } = [JsonlMetricsSinkFactory.Name, TensorBoardMetricsSinkFactory.Name];

    private readonly List<IMetricsSink> _sinks = [];

    private RunMetrics() { }

    /// <summary>The sinks, in the order they were opened.</summary>
    public IReadOnlyList<IMetricsSink> Sinks => _sinks;

    /// <summary>Opens the sinks of <see cref="Always"/> and of <paramref name="selected"/> (each name once) for <paramref name="run"/>.</summary>
    public static RunMetrics Open(ComponentCatalog catalog, IEnumerable<string> selected, MetricsRun run)
    {
        var metrics = new RunMetrics();
        try
        {
            foreach (string name in Always.Concat(selected).Distinct(StringComparer.Ordinal))
                metrics._sinks.Add(catalog.Get<IMetricsSinkFactory>(name).Create(run));
            return metrics;
        }
        catch
        {
            metrics.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var sink in _sinks) (sink as IDisposable)?.Dispose();
    }
}

/// <summary>Registers the host's own metrics sinks.</summary>
public static class RunMetricsServiceCollectionExtensions
{
    /// <summary>Adds the <c>jsonl</c> and <c>tensorboard</c> metrics sinks, which every run opens.</summary>
    public static IServiceCollection AddHostMetricsSinks(this IServiceCollection services) => services
        .AddMetricsSink<JsonlMetricsSinkFactory>(JsonlMetricsSinkFactory.Name)
        .AddMetricsSink<TensorBoardMetricsSinkFactory>(TensorBoardMetricsSinkFactory.Name);
}
