namespace Rlvr.Metrics;

/// <summary>A destination for one run's metrics: a JSON-lines file, TensorBoard, a CSV file.</summary>
/// <remarks>
/// Called from the run's thread. A sink that throws stops the run, as a Serilog sink's exception reaches an
/// auditing logger: a metric that cannot be written is not silently lost. Sinks that hold files implement
/// <see cref="IDisposable"/> and flush there; the host disposes them when the run ends.
/// </remarks>
public interface IMetricsSink
{
    /// <summary>Writes one record.</summary>
    void Emit(MetricsRecord record);
}
