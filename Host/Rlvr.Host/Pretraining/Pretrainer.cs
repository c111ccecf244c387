// Pretraining from scratch: next-token prediction on generated problems with noisy worked solutions, so that the
// researcher controls exactly what the base model has seen. AdamW, warm-up + cosine, gradient clipping.
using Rlvr.Training;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Rlvr.Curricula;
using Rlvr.Host.Data;
using Rlvr.Host.Runs;
using Rlvr.Metrics;
using Rlvr.Models;
using Rlvr.Tasks;
using Rlvr.Tokenizers;
using TorchSharp;
using static TorchSharp.torch;

namespace Rlvr.Host.Pretraining;

/// <summary>The outcome of pretraining.</summary>
public sealed record PretrainSummary(int Steps, long Tokens, double FirstLoss, double FinalLoss, double TokensPerSecond, TimeSpan Elapsed);

/// <summary>Trains a causal language model on worked solutions drawn from a task.</summary>
/// <param name="progress">Told after every step, on this thread; the metrics come at logging steps only (reading the loss syncs a GPU).</param>
public sealed class Pretrainer(PretrainOptions options, ILogger logger, IReadOnlyList<IMetricsSink> sinks, Action<StageProgress>? progress = null)
{
    public const string Stage = "pretrain";

    private static readonly IReadOnlyDictionary<string, double> s_none = new Dictionary<string, double>();

    /// <param name="mix">Chooses each document's problem (a pretraining data mix); null: difficulties uniform over the task's range.</param>
    public PretrainSummary Train(ICausalLanguageModel model, ITokenizer tokenizer, IProblemGenerator task, IProblemSource source, Random random, ICurriculum? mix = null)
    {
        var noise = new SolutionNoise(options.StepError, options.RightAnswerAfterError);
        string NextText()
        {
            var problem = mix?.Next(1, source, random)[0] ?? source.Draw(random.Next(source.Difficulties.Min, source.Difficulties.Max + 1), random);
            return problem.Prompt + task.WriteSolution(problem, noise, random);
        }

        // The token budget fixes the number of steps, so the schedule knows its length up front.
        int length = model.ContextLength;
        var packed = new PackedRows(() => TokenBatch.Sequence(tokenizer, NextText()));
        double tokensPerStep = options.Packing
            ? options.BatchSize * (double)length
            : options.BatchSize * Enumerable.Range(0, 256).Average(_ => NextText().Length + 1.0);   // +1: BOS→first or last→EOS
        int steps = (int)Math.Max(1, Math.Ceiling(options.TokenBudget / tokensPerStep));
        double minLr = options.LearningRate * options.MinLearningRateRatio;

        var parameters = model.Module.parameters().ToList();
        using var optimizer = Optimization.AdamW(parameters, options.LearningRate, options.WeightDecay, options.Beta1, options.Beta2);

        model.Module.train();
        logger.LogInformation("Pretraining {Steps} steps of {Batch} {Rows} (~{Tokens:N0} tokens)",
            steps, options.BatchSize, options.Packing ? $"packed rows of {length} tokens"
                : options.MicroBatches > 1 ? $"padded sequences in {options.MicroBatches} parts by length" : "padded sequences", options.TokenBudget);
        var clock = Stopwatch.StartNew();
        var window = Stopwatch.StartNew();
        long tokens = 0, windowTokens = 0;
        double firstLoss = double.NaN, loss = double.NaN;
        for (int step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            double lr = LearningRateSchedule.At(step, steps, options.WarmupSteps, options.LearningRate, minLr);
            optimizer.SetLearningRate(lr);

            optimizer.zero_grad();
            var batches = options.Packing
                ? [packed.Next(options.BatchSize, length, model.Device)]
                : LengthMicroBatches.Batches(tokenizer, [.. Enumerable.Range(0, options.BatchSize).Select(_ => NextText())], options.MicroBatches, model.Device);
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
        }
        model.Module.eval();
        return new PretrainSummary(steps, tokens, firstLoss, loss, tokens / clock.Elapsed.TotalSeconds, clock.Elapsed);
    }
}
