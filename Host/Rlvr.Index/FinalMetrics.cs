using Rlvr.Metrics;
using Rlvr.Host.Evaluation;

namespace Rlvr.Index;

/// <summary>
/// The numbers a run ends with, by name, as the index stores them: from evaluation.json <c>pass@k</c> and
/// <c>step_verified_pass@k</c> for every k (each with <c>:lower</c> and <c>:upper</c>), <c>coverage</c>, the
/// accuracies and counts; from metrics.jsonl the last value of every metric of each stage, as <c>stage:name</c>
/// (<c>train:reward_mean</c>, <c>pretrain:loss</c>).
/// </summary>
public static class FinalMetrics
{
    public const string Coverage = "coverage", AnswerAccuracy = "answer_accuracy", StepVerifiedAccuracy = "step_verified_accuracy";

    // The evaluation's own line in metrics.jsonl: evaluation.json holds the same numbers with their intervals.
    private const string EvaluationStage = "eval";

    public static string PassAtK(int k) => $"pass@{k}";
    public static string StepVerifiedPassAtK(int k) => $"step_verified_pass@{k}";
    public static string Lower(string name) => $"{name}:lower";
    public static string Upper(string name) => $"{name}:upper";
    public static string Logged(string stage, string name) => $"{stage}:{name}";

    /// <summary>Adds an evaluation's numbers to <paramref name="metrics"/>.</summary>
    public static void AddEvaluation(EvaluationResult evaluation, IDictionary<string, double> metrics)
    {
        foreach (var row in evaluation.PassAtK)
        {
            AddInterval(metrics, PassAtK(row.K), row.Answer);
            AddInterval(metrics, StepVerifiedPassAtK(row.K), row.StepVerified);
        }
        metrics[Coverage] = evaluation.Coverage;
        metrics[AnswerAccuracy] = evaluation.AnswerAccuracy;
        metrics[StepVerifiedAccuracy] = evaluation.StepVerifiedAccuracy;
        metrics["problems"] = evaluation.Problems;
        metrics["samples"] = evaluation.Samples;
        metrics["verifier_errors"] = evaluation.VerifierErrors;
        metrics["samples_per_s"] = evaluation.SamplesPerSecond;
    }

    /// <summary>Adds one record of metrics.jsonl to <paramref name="metrics"/>, over any earlier value of the same stage and name.</summary>
    public static void AddLogged(MetricsRecord record, IDictionary<string, double> metrics)
    {
        if (record.Stage == EvaluationStage) return;
        metrics[Logged(record.Stage, "step")] = record.Step;
        // Non-finite values are written as strings ("NaN"); SQLite has no NaN, so they are left out.
        foreach (var (name, value) in record.Values)
            if (double.IsFinite(value)) metrics[Logged(record.Stage, name)] = value;
    }

    private static void AddInterval(IDictionary<string, double> metrics, string name, Interval interval)
    {
        metrics[name] = interval.Mean;
        metrics[Lower(name)] = interval.Lower;
        metrics[Upper(name)] = interval.Upper;
    }
}
