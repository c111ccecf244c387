namespace Rlvr.Host.Evaluation;

/// <summary>How one held-out problem fared: n samples, how many had the right answer, how many verified every step.</summary>
/// <param name="CorrectCompletions">Each distinct completion with the right answer, with how often it was sampled.</param>
/// <param name="AnswerCounts">Each distinct final answer of all n samples (none parsed: the empty string), with how often it was
/// given; null where the evaluation did not record it. The report's answer entropy reads it.</param>
/// <param name="WrongCompletions">The first few distinct completions with a wrong answer, so that a reader can see how the
/// model fails; null where the evaluation did not record them.</param>
public sealed record ProblemResult(string Id, int Difficulty, string Prompt, string Answer, int Samples, int Correct, int StepVerified,
    IReadOnlyDictionary<string, int> CorrectCompletions, IReadOnlyDictionary<string, int>? AnswerCounts = null,
    IReadOnlyList<WrongCompletion>? WrongCompletions = null);

/// <summary>A sampled completion whose final answer is wrong, with the verifier's verdict on each step it wrote.</summary>
/// <param name="Answer">The final answer it gave (cut short when long); empty when none could be parsed.</param>
/// <param name="Steps">One verdict per written step, in order, its span in <paramref name="Text"/>; empty when none parsed.</param>
/// <param name="Count">How often this exact text was sampled among the problem's n.</param>
public sealed record WrongCompletion(string Text, string Answer, IReadOnlyList<Rlvr.Tasks.StepVerdict> Steps, int Count);

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
