namespace Rlvr.Host.Evaluation;

/// <summary>How one held-out problem fared: n samples, how many had the right answer, how many verified every step.</summary>
/// <param name="CorrectCompletions">Each distinct completion with the right answer, with how often it was sampled.</param>
/// <param name="AnswerCounts">Each distinct final answer of all n samples (none parsed: the empty string), with how often it was
/// given; null where the evaluation did not record it. The report's answer entropy reads it.</param>
public sealed record ProblemResult(string Id, int Difficulty, string Prompt, string Answer, int Samples, int Correct, int StepVerified,
    IReadOnlyDictionary<string, int> CorrectCompletions, IReadOnlyDictionary<string, int>? AnswerCounts = null);

/// <summary>pass@k at one k, by answer and by step-verified answer, each with its bootstrap interval.</summary>
public sealed record PassAtKRow(int K, Interval Answer, Interval StepVerified);

/// <summary>The evaluation of one model on a held-out set.</summary>
public sealed record EvaluationResult(
    int Problems,
    int Samples,
    double Coverage,
    double AnswerAccuracy,
    double StepVerifiedAccuracy,
    int VerifierErrors,
    double SamplesPerSecond,
    IReadOnlyList<PassAtKRow> PassAtK,
    IReadOnlyList<ProblemResult> PerProblem);
