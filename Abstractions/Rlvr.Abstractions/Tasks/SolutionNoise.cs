namespace Rlvr.Tasks;

/// <summary>How noisy a written worked solution is, for pretraining on imperfect traces.</summary>
/// <param name="StepError">The probability that a step is wrong.</param>
/// <param name="RightAnswerAfterError">The probability that a solution with a wrong step still ends at the right answer.</param>
public readonly record struct SolutionNoise(double StepError, double RightAnswerAfterError)
{
    /// <summary>Clean solutions: every step right.</summary>
    public static SolutionNoise None => default;
}
