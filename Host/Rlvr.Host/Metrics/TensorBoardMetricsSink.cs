using Rlvr.Metrics;
using TorchSharp;

namespace Rlvr.Host.Metrics;

/// <summary>
/// Writes every finite metric as a TensorBoard scalar, tagged <c>stage/name</c>, into the run folder's
/// <c>tensorboard/</c> (TorchSharp's SummaryWriter appends each event as it comes, so there is nothing to close); every run writes it: <c>tensorboard --logdir runs/&lt;study&gt;</c>.
/// </summary>
public sealed class TensorBoardMetricsSink(string folder) : IMetricsSink
{
    public const string Folder = "tensorboard";

    private readonly TorchSharp.Modules.SummaryWriter _writer = torch.utils.tensorboard.SummaryWriter(folder, createRunName: false);

    public void Emit(MetricsRecord record)
    {
        foreach (var (name, value) in record.Values)
            if (double.IsFinite(value)) _writer.add_scalar($"{record.Stage}/{name}", (float)value, (int)record.Step, record.Timestamp.ToUnixTimeSeconds());
    }
}

/// <summary>The <c>tensorboard</c> metrics sink, opened on every run.</summary>
public sealed class TensorBoardMetricsSinkFactory : IMetricsSinkFactory
{
    public const string Name = "tensorboard";

    /// <summary>
    /// A sink on a fresh <c>tensorboard/</c> that holds exactly the run's kept records: a resumed or re-evaluated run's
    /// curves then hold each step once, as its metrics.jsonl does.
    /// </summary>
    public IMetricsSink Create(MetricsRun run)
    {
        string folder = Path.Combine(run.Folder, TensorBoardMetricsSink.Folder);
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        var sink = new TensorBoardMetricsSink(folder);
        foreach (var record in run.Kept) sink.Emit(record);
        return sink;
    }
}
