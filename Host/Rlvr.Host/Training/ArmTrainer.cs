// The training loop of one arm: call the algorithm's Step, stream every step's metrics, log now and then, and
// checkpoint atomically so a failure (a NaN loss, a kill) leaves the last good state on disk. A run that finds a
// checkpoint of the same configuration continues from it, and draws and computes exactly what it would have.
using System.Diagnostics;
using System.Globalization;
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
/// <param name="First">Each metric's mean over the first <paramref name="Window"/> steps.</param>
/// <param name="Last">Each metric's mean over the last <paramref name="Window"/> steps.</param>
/// <param name="Window">How many steps First and Last average: Train:LogEvery, as the progress log does (1 in runs from before the windows).</param>
public sealed record TrainSummary(int Steps, TimeSpan Elapsed, IReadOnlyDictionary<string, double> First, IReadOnlyDictionary<string, double> Last, int Window = 1)
{
    /// <summary>
    /// First -> last of what the algorithm reports, the reward when it samples and the loss when it fine-tunes, over the
    /// windows; under a curriculum also the mean difficulty at each end, since the two ends need not be problems of one
    /// difficulty. Empty when the algorithm reports neither.
    /// </summary>
    public string Describe()
    {
        var changes = new[] { "reward_mean", "loss" }.Where(Last.ContainsKey)
            .Select(name => string.Create(CultureInfo.InvariantCulture, $"training {name} {First.GetValueOrDefault(name, double.NaN):F3} -> {Last[name]:F3}")).ToList();
        if (changes.Count == 0) return "";
        string ends = Window > 1 ? $"means of the first and the last {Window} steps" : "the first and the last step";
        string difficulty = !First.TryGetValue(ArmTrainer.DifficultyMetric, out double from) || !Last.TryGetValue(ArmTrainer.DifficultyMetric, out double to) ? ""
            : from == to ? string.Create(CultureInfo.InvariantCulture, $"; under a curriculum, mean difficulty {from:F2} at both ends")
            : string.Create(CultureInfo.InvariantCulture, $"; the curriculum moved the mean difficulty {from:F2} -> {to:F2}, so the two ends are not comparable");
        return $"{string.Join(", ", changes)} ({ends}{difficulty})";
    }
}

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
        // The first and the last Train:LogEvery steps, kept in checkpoints so that a resumed run summarises alike.
        var (start, ends) = resumeFrom is null ? (0, new Ends([], [])) : Restore(resumeFrom, session, context, parts, fingerprint);
        if (start > 0) logger.LogInformation("Resuming at step {Step} of {Steps} from {Checkpoint}", start + 1, options.Steps, resumeFrom);

        var clock = Stopwatch.StartNew();
        var window = new List<IReadOnlyDictionary<string, double>>();
        for (int step = start; step < options.Steps; step++)
        {
            cancellation.ThrowIfCancellationRequested();
            IReadOnlyDictionary<string, double> metrics;
            using (NewDisposeScope())
            {
                try
                {
                    metrics = WithDifficulty(session.Step(), context.Problems);
                }
                catch (ArithmeticException e)
                {
                    throw new ArithmeticException($"{e.Message} The last checkpoint in {checkpoints.Root} is intact.", e);
                }
            }
            ends.Add(step, metrics, options.LogEvery);
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
                checkpoints.Write(step + 1, folder => Save(folder, step + 1, session, context, parts, fingerprint, ends));
        }
        return new TrainSummary(options.Steps, clock.Elapsed, Mean(ends.First), Mean(ends.Last), Math.Min(options.LogEvery, options.Steps));
    }

    // The metrics of the first and of the last (at most) Train:LogEvery steps.
    private sealed record Ends(List<Dictionary<string, double>> First, List<Dictionary<string, double>> Last)
    {
        public void Add(int step, IReadOnlyDictionary<string, double> metrics, int window)
        {
            if (step < window) First.Add(metrics.ToDictionary());
            Last.Add(metrics.ToDictionary());
            if (Last.Count > window) Last.RemoveAt(0);
        }
    }

    // First is step 1's metrics, as checkpoints from before the windows hold it; FirstSteps and LastSteps the windows.
    private sealed record TrainerState(int Step, string Fingerprint, Dictionary<string, double> First, Dictionary<string, JsonNode> Parts,
        List<Dictionary<string, double>>? FirstSteps = null, List<Dictionary<string, double>>? LastSteps = null);

    private static void Save(string folder, int step, ITrainingSession session, TrainingContext context, IReadOnlyList<ICheckpointable> parts,
        string fingerprint, Ends ends)
    {
        context.Policy.Module.save(Path.Combine(folder, PolicyFile));
        session.Save(folder);
        SaveTorchRng(folder);
        var state = new TrainerState(step, fingerprint, ends.First.FirstOrDefault() ?? [], parts.ToDictionary(p => p.CheckpointKey, p => p.SaveState()),
            ends.First, ends.Last);
        File.WriteAllText(Path.Combine(folder, StateFile), JsonSerializer.Serialize(state));
    }

    private static (int Step, Ends Ends) Restore(string folder, ITrainingSession session, TrainingContext context,
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
        return (state.Step, new Ends(state.FirstSteps ?? [state.First], state.LastSteps ?? []));
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

    // Each metric's mean over the steps that report it.
    private static Dictionary<string, double> Mean(List<Dictionary<string, double>> steps) =>
        steps.SelectMany(m => m.Keys).Distinct().ToDictionary(key => key, key => steps.Where(m => m.ContainsKey(key)).Average(m => m[key]));

    /// <summary>The metric of the mean difficulty of a step's training problems, logged under a curriculum.</summary>
    public const string DifficultyMetric = "difficulty_mean";

    // Under a curriculum, the step's metrics with the mean difficulty of the problems it drew (the adaptive curriculum's
    // current level): it moves, so a reward that rises may come from easier problems rather than a better policy.
    private static IReadOnlyDictionary<string, double> WithDifficulty(IReadOnlyDictionary<string, double> metrics, ITrainingProblems problems) =>
        problems is TrainingProblems drawn && drawn.TakeDifficultyMean() is double difficulty && !double.IsNaN(difficulty)
            ? new Dictionary<string, double>(metrics) { [DifficultyMetric] = difficulty }
            : metrics;

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
