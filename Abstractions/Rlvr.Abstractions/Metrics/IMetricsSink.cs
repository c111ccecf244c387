namespace Rlvr.Metrics;

/// <summary>A destination for metrics: a JSON-lines file, TensorBoard, the console.</summary>
/// <remarks>
/// Called from the run's thread. A sink that throws stops the run, as a Serilog sink's exception reaches an
/// auditing logger: a metric that cannot be written is not silently lost. Sinks that hold files implement
/// <see cref="IDisposable"/> and flush there.
/// </remarks>
public interface IMetricsSink
{
    /// <summary>Writes one record.</summary>
    void Emit(MetricsRecord record);
}
