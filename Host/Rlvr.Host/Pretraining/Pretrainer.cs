// Pretraining from scratch: next-token prediction on generated problems with noisy worked solutions, so that the
// researcher controls exactly what the base model has seen. AdamW, warm-up + cosine, gradient clipping. Checkpoints
// (weights, optimiser, torch's random state) are written like an arm's; a resumed run draws the documents of the steps
// it skips again without training on them, so the data stream, and with it every later step, is the uninterrupted run's.
using Rlvr.Training;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Rlvr.Curricula;
using Rlvr.Host.Data;
using Rlvr.Host.Runs;
using Rlvr.Host.Training;
using Rlvr.Metrics;
using Rlvr.Models;
using Rlvr.Tasks;
using Rlvr.Tokenizers;
using Rlvr.Tools;
using TorchSharp;
using static TorchSharp.torch;

namespace Rlvr.Host.Pretraining;

/// <summary>What pretraining did; no steps and no losses where it was skipped (<c>Pretrain:TokenBudget</c> 0).</summary>
public sealed record PretrainSummary(int Steps, long Tokens, double? FirstLoss, double? FinalLoss, double TokensPerSecond, TimeSpan Elapsed)
{
    /// <summary>Pretraining skipped: the base is the model as its architecture made it.</summary>
    public static PretrainSummary Skipped { get; } = new(0, 0, null, null, 0, TimeSpan.Zero);
}

/// <summary>Trains a causal language model on worked solutions drawn from a task.</summary>
/// <param name="progress">Told after every step, on this thread; the metrics come at logging steps only (reading the loss syncs a GPU).</param>
public sealed class Pretrainer(PretrainOptions options, ILogger logger, IReadOnlyList<IMetricsSink> sinks, Action<StageProgress>? progress = null)
{
    public const string Stage = "pretrain", ModelFile = "model.bin", OptimizerFile = "optimizer.bin", StateFile = "pretrainer.json";

    private static readonly IReadOnlyDictionary<string, double> s_none = new Dictionary<string, double>();

    /// <param name="mix">Chooses each document's problem (a pretraining data mix); null: difficulties uniform over the task's range.</param>
    /// <param name="checkpoints">Where to write checkpoints every <c>CheckpointEvery</c> steps; null: none.</param>
    /// <param name="fingerprint">What the model depends on; a checkpoint records it, and is resumed only under it.</param>
    /// <param name="resumeFrom">A checkpoint folder to continue from, or null to start at step 0.</param>
    /// <param name="cancellation">Stops pretraining between steps; the last checkpoint stays.</param>
    /// <param name="tool">A tool the solutions call: its outputs in them are context, not targets; null: none.</param>
    public PretrainSummary Train(ICausalLanguageModel model, ITokenizer tokenizer, IProblemGenerator task, IProblemSource source, Random random, ICurriculum? mix = null,
        CheckpointStore? checkpoints = null, string fingerprint = "", string? resumeFrom = null, CancellationToken cancellation = default, ITool? tool = null)
    {
        if (options.TokenBudget == 0)
        {
            logger.LogInformation("No pretraining (Pretrain:TokenBudget is 0): the base is the model as it stands (as its architecture made it, or as Pretrain:From gave it)");
            model.Module.eval();
            return PretrainSummary.Skipped;
        }
        var noise = new SolutionNoise(options.StepError, options.RightAnswerAfterError);
        Document NextDocument()
        {
            var problem = mix?.Next(1, source, random)[0] ?? source.Draw(random.Next(source.Difficulties.Min, source.Difficulties.Max + 1), random);
            return Document.Of(tokenizer, tool, problem.Prompt, task.WriteSolution(problem, noise, random));
        }

        // The token budget fixes the number of steps, so the schedule knows its length up front.
        int length = model.ContextLength;
        var packed = new PackedRows(NextDocument);
        double tokensPerStep = options.Packing
            ? options.BatchSize * (double)length
            : options.BatchSize * Enumerable.Range(0, 256).Average(_ => NextDocument().Text.Length + 1.0);   // +1: BOS→first or last→EOS
        int steps = (int)Math.Max(1, Math.Ceiling(options.TokenBudget / tokensPerStep));
        double minLr = options.LearningRate * options.MinLearningRateRatio;

        var parameters = model.Module.parameters().ToList();
        using var optimizer = Optimization.AdamW(parameters, options.LearningRate, options.WeightDecay, options.Beta1, options.Beta2);

        model.Module.train();
        logger.LogInformation("Pretraining {Steps} steps of {Batch} {Rows} (~{Tokens:N0} tokens)",
            steps, options.BatchSize, options.Packing ? $"packed rows of {length} tokens"
                : options.MicroBatches > 1 ? $"padded sequences in {options.MicroBatches} parts by length" : "padded sequences", options.TokenBudget);
        long tokens = 0, windowTokens = 0;
        double firstLoss = double.NaN, loss = double.NaN;
        int start = 0;
        if (resumeFrom is not null)
        {
            var saved = Restore(resumeFrom, model, optimizer, fingerprint);
            (start, tokens, firstLoss) = (saved.Step, saved.Tokens, saved.FirstLoss);
            for (int step = 0; step < start; step++)
            {
                if (options.Packing) packed.NextIds(options.BatchSize, length);
                else for (int i = 0; i < options.BatchSize; i++) NextDocument();
            }
            logger.LogInformation("Resuming pretraining at step {Step} of {Steps} from {Checkpoint}", start + 1, steps, resumeFrom);
        }
        long resumedTokens = tokens;                                                              // the rate counts this process's tokens
        var clock = Stopwatch.StartNew();
        var window = Stopwatch.StartNew();
        for (int step = start; step < steps; step++)
        {
            cancellation.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            double lr = LearningRateSchedule.At(step, steps, options.WarmupSteps, options.LearningRate, minLr);
            optimizer.SetLearningRate(lr);

            optimizer.zero_grad();
            var batches = options.Packing
                ? [packed.Next(options.BatchSize, length, model.Device)]
                : LengthMicroBatches.Batches([.. Enumerable.Range(0, options.BatchSize).Select(_ => NextDocument())], tokenizer.Pad, options.MicroBatches, model.Device);
            var lossTensor = LengthMicroBatches.Backward(model, batches);
            long supervised = batches.Sum(b => b.Supervised);
            double gradNorm = options.GradClip > 0 ? nn.utils.clip_grad_norm_(parameters, options.GradClip) : double.NaN;
            optimizer.step();
            tokens += supervised;
            windowTokens += supervised;

            bool last = step == steps - 1;
            IReadOnlyDictionary<string, double> values = s_none;
            if (step == 0 || last || (step + 1) % options.LogEvery == 0)
            {
                loss = lossTensor.item<float>();                                                  // CPU–GPU sync point
                if (!double.IsFinite(loss))
                    throw new ArithmeticException($"Pretraining loss is {loss} at step {step + 1}; lower Pretrain:LearningRate ({options.LearningRate}) or raise Pretrain:WarmupSteps.");
                if (step == 0) firstLoss = loss;
                double tokensPerSecond = windowTokens / Math.Max(1e-9, window.Elapsed.TotalSeconds);
                values = new Dictionary<string, double>
                {
                    ["loss"] = loss, ["lr"] = lr, ["grad_norm"] = gradNorm, ["tokens"] = tokens, ["tokens_per_s"] = tokensPerSecond,
                };
                foreach (var sink in sinks) sink.Emit(new MetricsRecord(Stage, step + 1, values, DateTimeOffset.UtcNow));
                logger.LogInformation("pretrain {Step}/{Steps} loss {Loss:F4} lr {Lr:E2} {TokensPerSecond:N0} tok/s", step + 1, steps, loss, lr, tokensPerSecond);
                window.Restart();
                windowTokens = 0;
            }
            progress?.Invoke(new StageProgress("", Stage, step + 1, steps, values));
            if (checkpoints is not null && options.CheckpointEvery > 0 && (step + 1) % options.CheckpointEvery == 0 && !last)
            {
                var state = new SavedState(step + 1, fingerprint, tokens, firstLoss);
                checkpoints.Write(step + 1, folder => Save(folder, model, optimizer, state));
            }
        }
        model.Module.eval();
        return new PretrainSummary(steps, tokens, firstLoss, loss, (tokens - resumedTokens) / clock.Elapsed.TotalSeconds, clock.Elapsed);
    }

    private sealed record SavedState(int Step, string Fingerprint, long Tokens, double FirstLoss);

    private static void Save(string folder, ICausalLanguageModel model, TorchSharp.Modules.AdamW optimizer, SavedState state)
    {
        model.Module.save(Path.Combine(folder, ModelFile));
        optimizer.save_state_dict(Path.Combine(folder, OptimizerFile));
        ArmTrainer.SaveTorchRng(folder);
        File.WriteAllText(Path.Combine(folder, StateFile), JsonSerializer.Serialize(state));
    }

    private static SavedState Restore(string folder, ICausalLanguageModel model, TorchSharp.Modules.AdamW optimizer, string fingerprint)
    {
        var state = ReadState(folder) ?? throw new InvalidDataException($"{Path.Combine(folder, StateFile)} is not a pretraining state.");
        if (state.Fingerprint != fingerprint)
            throw new InvalidOperationException($"The checkpoint {folder} belongs to another configuration of this run; it cannot be resumed.");
        model.Module.load(Path.Combine(folder, ModelFile));
        optimizer.load_state_dict(Path.Combine(folder, OptimizerFile));
        ArmTrainer.LoadTorchRng(folder);
        return state;
    }

    /// <summary>The step and fingerprint of a pretraining checkpoint, or null when it cannot be read.</summary>
    public static (int Step, string Fingerprint)? Describe(string folder) => ReadState(folder) is { } s ? (s.Step, s.Fingerprint) : null;

    private static SavedState? ReadState(string folder)
    {
        try { return JsonSerializer.Deserialize<SavedState>(File.ReadAllText(Path.Combine(folder, StateFile))); }
        catch (Exception e) when (e is JsonException or IOException) { return null; }
    }
}
