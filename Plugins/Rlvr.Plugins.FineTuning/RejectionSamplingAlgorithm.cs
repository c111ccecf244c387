// "rejection-sampling": rejection-sampling fine-tuning, also called expert iteration (RFT, arXiv:2308.01825; STaR,
// arXiv:2203.14465). Sample G completions of each problem with the current policy, keep those whose reward reaches
// the threshold, and take an SFT step on them. The middle arm between SFT and RL (docs/algorithms.md).
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rlvr.Training;
using static TorchSharp.torch;

namespace Rlvr.FineTuning;

internal sealed class RejectionSamplingAlgorithm(IOptions<RejectionSamplingOptions> options) : IAlgorithm
{
    public const string Name = "rejection-sampling";

    public ITrainingSession Begin(TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var o = options.Value;
        context.Logger.LogInformation("Rejection sampling: {Prompts} problems x {G} samples a step, keep reward >= {Threshold}{Distinct}, lr {Lr:G3}",
            o.PromptsPerStep, o.GroupSize, o.Threshold, o.DistinctOnly ? " (distinct)" : "", o.LearningRate);
        return new Session(context, o);
    }

    // The (prompt, completion) pairs to train on: rows whose reward reaches the threshold (NaN never does) and,
    // when distinctOnly, each problem's identical completions once. The end token is added by TokenBatch.
    public static List<(string Prompt, string Completion)> Keep(RolloutBatch batch, double threshold, bool distinctOnly)
    {
        var kept = new List<(string, string)>();
        var seen = new HashSet<(int, string)>();
        for (int i = 0; i < batch.Count; i++)
        {
            int problem = i / batch.GroupSize;                                    // rows are grouped by problem
            if (!(batch.Rewards[i].Value >= threshold)) continue;
            if (distinctOnly && !seen.Add((problem, batch.Completions[i]))) continue;
            kept.Add((batch.Problems[problem].Prompt, batch.Completions[i]));
        }
        return kept;
    }

    private sealed class Session(TrainingContext context, RejectionSamplingOptions options) : ITrainingSession
    {
        private readonly TeacherForcedTrainer _trainer = new(context, options, Name, RejectionSamplingOptions.Section);

        public IReadOnlyDictionary<string, double> Step()
        {
            long started = Stopwatch.GetTimestamp();
            using var scope = NewDisposeScope();                                   // the rollout's tensors are ours to free
            var batch = context.Rollouts.Generate(context.Problems.Next(options.PromptsPerStep), options.GroupSize);
            var kept = Keep(batch, options.Threshold, options.DistinctOnly);

            // tokens_per_s counts supervised tokens over the whole step, sampling included.
            var metrics = _trainer.Step(kept, started);
            metrics["reward_mean"] = Mean(batch.Rewards, r => r.Value);
            metrics["kept_fraction"] = batch.Count > 0 ? (double)kept.Count / batch.Count : 0.0;
            // Rollout statistics named as the policy-gradient arms name them, so that arms compare in one table.
            metrics["answer_accuracy"] = Mean(batch.Verifications, v => v.AnswerCorrect ? 1.0 : 0.0);
            metrics["length_mean"] = batch.CompletionMask.sum(1).mean().item<float>();   // tokens, end token included; sync point
            return metrics;
        }

        private static double Mean<T>(IReadOnlyList<T> rows, Func<T, double> value) => rows.Count > 0 ? rows.Average(value) : double.NaN;

        public void Save(string folder) => _trainer.Save(folder);

        public void Load(string folder) => _trainer.Load(folder);

        public void Dispose() => _trainer.Dispose();
    }
}
