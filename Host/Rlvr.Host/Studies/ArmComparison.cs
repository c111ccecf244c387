// An arm against the base on the same held-out problems: problems gained and lost, and the crossover k, the
// smallest k at which the base's pass@k meets or beats the arm's (Yue et al. 2025).
using Rlvr.Host.Evaluation;

namespace Rlvr.Host.Studies;

/// <summary>How an arm's evaluation differs from the base's.</summary>
/// <param name="Gained">Problems the base never solved (0 of n) and the arm solved at least once.</param>
/// <param name="Lost">Problems the base solved at least once and the arm never did.</param>
/// <param name="CrossoverK">The smallest k where base pass@k ≥ arm pass@k; null when the arm leads at every k.</param>
public sealed record ArmComparison(IReadOnlyList<string> Gained, IReadOnlyList<string> Lost, int? CrossoverK)
{
    /// <summary>Compares <paramref name="arm"/> with <paramref name="baseline"/>, problem by problem (matched by id).</summary>
    public static ArmComparison Of(EvaluationResult baseline, EvaluationResult arm)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(arm);
        var armById = arm.PerProblem.ToDictionary(r => r.Id);
        var matched = baseline.PerProblem.Where(r => armById.ContainsKey(r.Id)).Select(r => (Base: r, Arm: armById[r.Id])).ToList();
        var gained = matched.Where(m => m.Base.Correct == 0 && m.Arm.Correct > 0).Select(m => m.Base.Id).ToList();
        var lost = matched.Where(m => m.Base.Correct > 0 && m.Arm.Correct == 0).Select(m => m.Base.Id).ToList();

        var ks = PassAtK.Ks(Math.Min(baseline.Samples, arm.Samples));
        var crossover = FindCrossoverK(ks, PassAtK.MeanCurve(matched.ConvertAll(m => m.Base), ks), PassAtK.MeanCurve(matched.ConvertAll(m => m.Arm), ks));
        return new ArmComparison(gained, lost, crossover);
    }

    /// <summary>The first of <paramref name="ks"/> where the base's pass@k meets or beats the arm's; null when the arm leads at every k.</summary>
    /// <param name="baseline">The base's pass@k at each of <paramref name="ks"/>.</param>
    /// <param name="arm">The arm's pass@k at each of <paramref name="ks"/>.</param>
    public static int? FindCrossoverK(IReadOnlyList<int> ks, IReadOnlyList<double> baseline, IReadOnlyList<double> arm)
    {
        for (int i = 0; i < ks.Count; i++)
            if (baseline[i] >= arm[i]) return ks[i];
        return null;
    }
}
