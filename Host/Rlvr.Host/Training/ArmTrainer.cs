// The training loop of one arm: call the algorithm's Step, stream every step's metrics, log now and then, and
// checkpoint atomically so a failure (a NaN loss, a kill) leaves the last good state on disk.
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Rlvr.Host.Runs;
using Rlvr.Metrics;
using Rlvr.Training;
using static TorchSharp.torch;

namespace Rlvr.Host.Training;

/// <summary>What an arm's training did.</summary>
public sealed record TrainSummary(int Steps, TimeSpan Elapsed, IReadOnlyDictionary<string, double> First, IReadOnlyDictionary<string, double> Last);

/// <summary>Runs an algorithm's session for the configured number of steps.</summary>
public sealed class ArmTrainer(TrainOptions options, ILogger logger, IReadOnlyList<IMetricsSink> sinks)
{
    public const string Stage = "train", CheckpointFolder = "checkpoint", PolicyFile = "policy.bin";

    public TrainSummary Train(IAlgorithm algorithm, TrainingContext context, string runFolder)
    {
        using var session = algorithm.Begin(context);
        var clock = Stopwatch.StartNew();
        IReadOnlyDictionary<string, double> first = new Dictionary<string, double>(), last = first;
        var window = new List<IReadOnlyDictionary<string, double>>();
        for (int step = 0; step < options.Steps; step++)
        {
            IReadOnlyDictionary<string, double> metrics;
            using (NewDisposeScope())
            {
                try
                {
                    metrics = session.Step();
                }
                catch (ArithmeticException e)
                {
                    throw new ArithmeticException($"{e.Message} The last checkpoint in {Path.Combine(runFolder, CheckpointFolder)} is intact.", e);
                }
            }
            if (step == 0) first = metrics;
            last = metrics;
            window.Add(metrics);
            foreach (var sink in sinks) sink.Emit(new MetricsRecord(Stage, step + 1, metrics, DateTimeOffset.UtcNow));
            if (step == 0 || (step + 1) % options.LogEvery == 0 || step == options.Steps - 1)
            {
                logger.LogInformation("train {Step}/{Steps} reward {Reward:F3} answer {Answer:F3} length {Length:F1} entropy {Entropy:F3} {StepTime:F2} s/step",
                    step + 1, options.Steps, Mean(window, "reward_mean"), Mean(window, "answer_accuracy"), Mean(window, "length_mean"), Mean(window, "entropy"), Mean(window, "step_time_s"));
                window.Clear();
            }
            if (options.CheckpointEvery > 0 && (step + 1) % options.CheckpointEvery == 0 && step < options.Steps - 1)
                Checkpoint(session, context, runFolder);
        }
        return new TrainSummary(options.Steps, clock.Elapsed, first, last);
    }

    // Written to a fresh folder, then swapped in by renames: a checkpoint is either the old one or the new one, whole.
    private static void Checkpoint(ITrainingSession session, TrainingContext context, string runFolder)
    {
        string final = Path.Combine(runFolder, CheckpointFolder), staging = final + ".tmp", old = final + ".old";
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        Directory.CreateDirectory(staging);
        context.Policy.Module.save(Path.Combine(staging, PolicyFile));
        session.Save(staging);
        if (Directory.Exists(old)) Directory.Delete(old, recursive: true);
        if (Directory.Exists(final)) Directory.Move(final, old);
        Directory.Move(staging, final);
        if (Directory.Exists(old)) Directory.Delete(old, recursive: true);
    }

    private static double Mean(List<IReadOnlyDictionary<string, double>> window, string key)
    {
        var values = window.Where(m => m.ContainsKey(key)).Select(m => m[key]).ToList();
        return values.Count == 0 ? double.NaN : values.Average();
    }
}
