namespace Rlvr.Tasks;

/// <summary>The outcome of verifying one completion.</summary>
/// <param name="AnswerCorrect">Whether the final answer is right.</param>
/// <param name="Steps">One verdict per step the completion wrote, in order; empty when none could be parsed.</param>
/// <param name="Answer">The final answer as the completion wrote it, right or wrong; null when it wrote none. Evaluation
/// counts distinct answers with it (answer entropy).</param>
public sealed record Verification(bool AnswerCorrect, IReadOnlyList<StepVerdict> Steps, string? Answer = null)
{
    /// <summary>The terminal score: 1 when the answer is right, else 0.</summary>
    public double Score => AnswerCorrect ? 1.0 : 0.0;

    /// <summary>Whether the answer is right and every step verifies (strict outcome).</summary>
    public bool AllStepsCorrect => AnswerCorrect && Steps.Count > 0 && Steps.All(step => step.Correct);

    /// <summary>A wrong answer with no steps: what malformed output scores.</summary>
    public static Verification Wrong { get; } = new(false, []);
}
