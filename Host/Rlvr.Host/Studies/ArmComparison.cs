// An arm against the base on the same held-out problems: problems gained and lost, and where the two pass@k curves
// cross (Yue et al. 2025), in either direction.
using Rlvr.Host.Evaluation;

namespace Rlvr.Host.Studies;

/// <summary>How an arm's evaluation differs from the base's.</summary>
/// <param name="Gained">Problems the base never solved (0 of n) and the arm solved at least once.</param>
/// <param name="Lost">Problems the base solved at least once and the arm never did.</param>
/// <param name="Order">Where the pass@k curves cross, at k = 1, 2, 4, ... up to the smaller n of the two.</param>
public sealed record ArmComparison(IReadOnlyList<string> Gained, IReadOnlyList<string> Lost, CurveOrder Order)
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
        var order = CurveOrder.Of(ks, PassAtK.MeanCurve(matched.ConvertAll(m => m.Base), ks), PassAtK.MeanCurve(matched.ConvertAll(m => m.Arm), ks));
        return new ArmComparison(gained, lost, order);
    }
}
