// Evaluation: n samples per held-out problem from the batched sampler, each verified; then unbiased pass@k for
// k = 1, 2, 4, ..., n with a bootstrap interval over problems, coverage, and answer vs step-verified accuracy.
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Rlvr.Host.Runs;
using Rlvr.Host.Scoring;
using Rlvr.Models;
using Rlvr.Sampling;
using Rlvr.Tasks;
using Rlvr.Tokenizers;

namespace Rlvr.Host.Evaluation;

/// <summary>Evaluates a model on a fixed set of problems.</summary>
/// <param name="progress">Told after each batch of problems, on this thread.</param>
public sealed class Evaluator(EvaluationOptions options, ILogger logger, Action<StageProgress>? progress = null)
{
    public const string Stage = "evaluate";

    // Answers are counted for answer entropy; a runaway answer line is cut, so evaluation.json stays small.
    private const int MaxAnswerLength = 32;

    /// <summary>Distinct wrong completions kept per problem: enough to see how the model fails, few enough to keep evaluation.json small.</summary>
    public const int WrongCompletionsKept = 4;

    /// <param name="cancellation">Stops evaluation between batches of problems.</param>
    /// <param name="tools">A tool the model may call while it writes; a failed call makes the sample malformed.</param>
    public EvaluationResult Evaluate(ICausalLanguageModel model, ITokenizer tokenizer, IVerifier verifier, IReadOnlyList<Problem> problems, long seed,
        CancellationToken cancellation = default, ToolLoop? tools = null)
    {
        var precision = Precision(model);   // checked before anything runs
        using var mode = (model as IEvaluationMode)?.BeginEvaluation();   // e.g. a looped transformer's evaluation loops
        int n = options.Samples;
        var prompts = problems.Select(p => (int[])[tokenizer.Bos, .. tokenizer.Encode(p.Prompt)]).ToArray();
        int maxNewTokens = options.MaxNewTokens > 0 ? options.MaxNewTokens : model.ContextLength - prompts.Max(p => p.Length);
        var sampler = new BatchedSampler(new SamplingOptions
        {
            Temperature = options.Temperature, TopP = options.TopP, MaxNewTokens = maxNewTokens, Seed = seed, Precision = precision,
        });
        int promptsPerBatch = Math.Max(1, options.RowsPerBatch / n);

        var results = new ProblemResult[problems.Count];
        var scorer = new Scorer(verifier, [], logger);
        var clock = Stopwatch.StartNew();
        for (int start = 0; start < problems.Count; start += promptsPerBatch)
        {
            cancellation.ThrowIfCancellationRequested();
            int count = Math.Min(promptsPerBatch, problems.Count - start);
            var completions = sampler.Sample(model, prompts[start..(start + count)], n, tokenizer.Eos, tokenizer.Pad, tools: tools);
            foreach (var group in completions.GroupBy(c => c.Prompt))
            {
                var problem = problems[start + group.Key];
                int correct = 0, stepVerified = 0;
                var distinct = new Dictionary<string, int>();
                var answers = new Dictionary<string, int>();
                var wrong = new List<WrongCompletion>();
                foreach (var sample in group)
                {
                    string text = tokenizer.Decode(sample.Tokens);
                    var verification = sample.ToolError is null ? scorer.Verify(problem, text) : Verification.Wrong;
                    string answer = verification.Answer is { } a ? a[..Math.Min(a.Length, MaxAnswerLength)] : "";
                    answers[answer] = answers.GetValueOrDefault(answer) + 1;
                    if (!verification.AnswerCorrect)
                    {
                        KeepWrong(wrong, text, answer, verification);
                        continue;
                    }
                    correct++;
                    if (verification.AllStepsCorrect) stepVerified++;
                    distinct[text] = distinct.GetValueOrDefault(text) + 1;
                }
                results[start + group.Key] = new ProblemResult(problem.Id, problem.Difficulty, problem.Prompt, problem.Answer, n, correct, stepVerified, distinct, answers, wrong);
            }
            double rate = (start + count) * n / clock.Elapsed.TotalSeconds;
            logger.LogInformation("eval {Done}/{Total} problems, {Rate:N0} samples/s", start + count, problems.Count, rate);
            progress?.Invoke(new StageProgress("", Stage, start + count, problems.Count, new Dictionary<string, double> { ["samples_per_s"] = rate }));
        }
        double samplesPerSecond = problems.Count * n / clock.Elapsed.TotalSeconds;
        return Summarise(results, scorer.Failures, samplesPerSecond);
    }

    // The first distinct wrong completions sampled, each counted every time it recurs.
    private static void KeepWrong(List<WrongCompletion> kept, string text, string answer, Verification verification)
    {
        int i = kept.FindIndex(w => w.Text == text);
        if (i >= 0) kept[i] = kept[i] with { Count = kept[i].Count + 1 };
        else if (kept.Count < WrongCompletionsKept) kept.Add(new WrongCompletion(text, answer, verification.Steps, 1));
    }

    /// <summary>pass@k, coverage and accuracies from per-problem counts.</summary>
    public EvaluationResult Summarise(IReadOnlyList<ProblemResult> results, int verifierErrors = 0, double samplesPerSecond = double.NaN)
    {
        int n = results.Min(r => r.Samples);
        var table = PassAtK.Ks(n).Select(k => new PassAtKRow(k,
            Bootstrap(results.Select(r => PassAtK.Estimate(r.Samples, r.Correct, k))),
            Bootstrap(results.Select(r => PassAtK.Estimate(r.Samples, r.StepVerified, k))))).ToList();
        return new EvaluationResult(results.Count, n,
            Coverage: results.Average(r => r.Correct > 0 ? 1.0 : 0.0),
            AnswerAccuracy: results.Average(r => (double)r.Correct / r.Samples),
            StepVerifiedAccuracy: results.Average(r => (double)r.StepVerified / r.Samples),
            verifierErrors, samplesPerSecond, table, results);
    }

    private Interval Bootstrap(IEnumerable<double> perProblem) =>
        PassAtK.MeanWithBootstrap(perProblem.ToList(), options.BootstrapResamples, options.Confidence);

    // Evaluation:Precision as the sampler's: null for the model's own type.
    private TorchSharp.torch.ScalarType? Precision(ICausalLanguageModel model) => options.Precision switch
    {
        EvaluationOptions.ModelPrecision => null,
        EvaluationOptions.BFloat16Precision when model is IDecodingPrecision => TorchSharp.torch.ScalarType.BFloat16,
        var precision => throw new InvalidOperationException(
            $"Evaluation:Precision={precision}: the model ({model.GetType().Name}) decodes only in its own type; set Evaluation:Precision={EvaluationOptions.ModelPrecision}."),
    };
}
