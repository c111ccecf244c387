// Answer entropy: how spread a model's final answers to one problem are, over all n samples. It needs the count of
// every distinct final answer (ProblemResult.AnswerCounts); an evaluation that stored only correct completions
// does not have it, and then there is nothing to compute.
using Rlvr.Host.Evaluation;

namespace Rlvr.Reporting;

/// <summary>Entropy over distinct final answers.</summary>
public static class AnswerEntropy
{
    /// H = −Σ_a p_a ln p_a = Σ_a p_a ln(1/p_a), p_a = count_a / Σ count (nats); 0 when every sample gives the same answer
    public static double Of(IReadOnlyDictionary<string, int> answerCounts)
    {
        double total = answerCounts.Values.Sum();
        return answerCounts.Values.Where(c => c > 0).Sum(c => c / total * Math.Log(total / c));
    }

    /// <summary>The mean over problems; null when any problem lacks answer counts.</summary>
    public static double? Mean(IReadOnlyList<ProblemResult> problems) =>
        problems.Count > 0 && problems.All(p => p.AnswerCounts is { Count: > 0 }) ? problems.Average(p => Of(p.AnswerCounts!)) : null;
}
