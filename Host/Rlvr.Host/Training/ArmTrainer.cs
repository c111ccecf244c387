// The training loop of one arm: call the algorithm's Step, stream every step's metrics, log now and then, and
// checkpoint atomically so a failure (a NaN loss, a kill) leaves the last good state on disk. A run that finds a
// checkpoint of the same configuration continues from it, and draws and computes exactly what it would have.
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Rlvr.Host.Runs;
using Rlvr.Metrics;
using Rlvr.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Rlvr.Host.Training;

/// <summary>What an arm's training did.</summary>
public sealed record TrainSummary(int Steps, TimeSpan Elapsed, IReadOnlyDictionary<string, double> First, IReadOnlyDictionary<string, double> Last);

/// <summary>Runs an algorithm's session for the configured number of steps.</summary>
/// <param name="progress">Told after every step, on this thread.</param>
public sealed class ArmTrainer(TrainOptions options, ILogger logger, IReadOnlyList<IMetricsSink> sinks, Action<StageProgress>? progress = null)
{
    public const string Stage = "train", PolicyFile = "policy.bin", StateFile = "trainer.json", TorchRngFile = "torch-rng.bin";

    /// <param name="fingerprint">What the run's results depend on; a checkpoint of another fingerprint is not resumed.</param>
    /// <param name="resumeFrom">A checkpoint folder to continue from, or null to start at step 0.</param>
    /// <param name="cancellation">Stops the run between steps; the last checkpoint stays.</param>
    public TrainSummary Train(IAlgorithm algorithm, TrainingContext context, CheckpointStore checkpoints, string fingerprint,
        string? resumeFrom = null, CancellationToken cancellation = default)
    {
        using var session = algorithm.Begin(context);                     // the reference model is the policy as it starts
        var parts = new object[] { context.Problems, context.Rollouts }.OfType<ICheckpointable>().ToList();
        var (start, first) = resumeFrom is null ? (0, (IReadOnlyDictionary<string, double>)new Dictionary<string, double>()) : Restore(resumeFrom, session, context, parts, fingerprint);
        if (start > 0) logger.LogInformation("Resuming at step {Step} of {Steps} from {Checkpoint}", start + 1, options.Steps, resumeFrom);

        var clock = Stopwatch.StartNew();
        var last = first;
        var window = new List<IReadOnlyDictionary<string, double>>();
        for (int step = start; step < options.Steps; step++)
        {
            cancellation.ThrowIfCancellationRequested();
            IReadOnlyDictionary<string, double> metrics;
            using (NewDisposeScope())
            {
                try
                {
                    metrics = session.Step();
                }
                catch (ArithmeticException e)
                {
                    throw new ArithmeticException($"{e.Message} The last checkpoint in {checkpoints.Root} is intact.", e);
                }
            }
            if (step == 0) first = metrics;
            last = metrics;
            window.Add(metrics);
            foreach (var sink in sinks) sink.Emit(new MetricsRecord(Stage, step + 1, metrics, DateTimeOffset.UtcNow));
            progress?.Invoke(new StageProgress("", Stage, step + 1, options.Steps, metrics));
            if (step == start || (step + 1) % options.LogEvery == 0 || step == options.Steps - 1)
            {
                logger.LogInformation("train {Step}/{Steps} {Metrics} {StepTime:F2} s/step",
                    step + 1, options.Steps, LogLine(window), Mean(window, "step_time_s"));
                window.Clear();
            }
            if (options.CheckpointEvery > 0 && (step + 1) % options.CheckpointEvery == 0 && step < options.Steps - 1)
                checkpoints.Write(step + 1, folder => Save(folder, step + 1, session, context, parts, fingerprint, first));
        }
        return new TrainSummary(options.Steps, clock.Elapsed, first, last);
    }

    private sealed record TrainerState(int Step, string Fingerprint, Dictionary<string, double> First, Dictionary<string, JsonNode> Parts);

    private static void Save(string folder, int step, ITrainingSession session, TrainingContext context, IReadOnlyList<ICheckpointable> parts,
        string fingerprint, IReadOnlyDictionary<string, double> first)
    {
        context.Policy.Module.save(Path.Combine(folder, PolicyFile));
        session.Save(folder);
        SaveTorchRng(folder);
        var state = new TrainerState(step, fingerprint, first.ToDictionary(), parts.ToDictionary(p => p.CheckpointKey, p => p.SaveState()));
        File.WriteAllText(Path.Combine(folder, StateFile), JsonSerializer.Serialize(state));
    }

    private static (int Step, IReadOnlyDictionary<string, double> First) Restore(string folder, ITrainingSession session, TrainingContext context,
        IReadOnlyList<ICheckpointable> parts, string fingerprint)
    {
        var state = ReadState(folder) ?? throw new InvalidDataException($"{Path.Combine(folder, StateFile)} is not a trainer state.");
        if (state.Fingerprint != fingerprint)
            throw new InvalidOperationException($"The checkpoint {folder} belongs to another configuration of this run; it cannot be resumed.");
        context.Policy.Module.load(Path.Combine(folder, PolicyFile));
        session.Load(folder);
        LoadTorchRng(folder);
        foreach (var part in parts)
            part.LoadState(state.Parts.TryGetValue(part.CheckpointKey, out var saved) ? saved : throw new InvalidDataException($"{folder} holds no '{part.CheckpointKey}' state."));
        return (state.Step, state.First);
    }

    /// <summary>Writes torch's random state (dropout, sampling without a generator of its own) into a checkpoint folder.</summary>
    internal static void SaveTorchRng(string folder)
    {
        using var rng = torch.random.get_rng_state();
        File.WriteAllBytes(Path.Combine(folder, TorchRngFile), rng.data<byte>().ToArray());
    }

    /// <summary>Restores torch's random state from a checkpoint folder.</summary>
    internal static void LoadTorchRng(string folder)
    {
        using var rng = torch.tensor(File.ReadAllBytes(Path.Combine(folder, TorchRngFile)));
        torch.random.set_rng_state(rng);
    }

    /// <summary>The trainer state of a checkpoint, or null when it cannot be read.</summary>
    public static (int Step, string Fingerprint)? Describe(string folder) => ReadState(folder) is { } s ? (s.Step, s.Fingerprint) : null;

    private static TrainerState? ReadState(string folder)
    {
        try { return JsonSerializer.Deserialize<TrainerState>(File.ReadAllText(Path.Combine(folder, StateFile))); }
        catch (Exception e) when (e is JsonException or IOException) { return null; }
    }

    // What a log line shows, of what the algorithm reports: a sampling algorithm has rewards, a fine-tuning one a loss.
    private static readonly (string Key, string Label, string Format)[] Logged =
        [("reward_mean", "reward", "F3"), ("answer_accuracy", "answer", "F3"), ("loss", "loss", "F4"), ("length_mean", "length", "F1"), ("entropy", "entropy", "F3")];

    private static string LogLine(List<IReadOnlyDictionary<string, double>> window) => string.Join(' ',
        Logged.Select(m => (m.Label, Value: Mean(window, m.Key), m.Format))
              .Where(m => !double.IsNaN(m.Value))
              .Select(m => $"{m.Label} {m.Value.ToString(m.Format, System.Globalization.CultureInfo.InvariantCulture)}"));

    private static double Mean(List<IReadOnlyDictionary<string, double>> window, string key)
    {
        var values = window.Where(m => m.ContainsKey(key)).Select(m => m[key]).ToList();
        return values.Count == 0 ? double.NaN : values.Average();
    }
}
