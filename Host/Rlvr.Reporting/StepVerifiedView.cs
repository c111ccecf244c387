// The study as it would read if a sample counted as correct only when its answer is right AND every written step
// verifies. Answer-only pass@k at large k also counts right answers reached through wrong steps, which a model that
// guesses among few possible answers collects by chance; the step-verified view does not (Yue et al. 2025 check
// chains of thought by hand for the same reason).
using Rlvr.Host.Evaluation;

namespace Rlvr.Reporting;

internal static class StepVerifiedView
{
    /// <summary>Every run's evaluation with Correct := StepVerified for each problem, so that every pass@k, crossover and verdict reads steps.</summary>
    public static StudyData Of(StudyData study) =>
        study with { Runs = [.. study.Runs.Select(r => r with { Evaluation = r.Evaluation is { } e ? Of(e) : null })] };

    private static EvaluationResult Of(EvaluationResult e) => e with
    {
        PerProblem = [.. e.PerProblem.Select(p => p with { Correct = p.StepVerified })],
        AnswerAccuracy = e.StepVerifiedAccuracy,
        Coverage = e.PerProblem.Count == 0 ? 0 : e.PerProblem.Count(p => p.StepVerified > 0) / (double)e.PerProblem.Count,
        PassAtK = [.. e.PassAtK.Select(row => row with { Answer = row.StepVerified })],
    };
}
