// The chance that something a run produced c times in n samples shows up at least once in n' of those samples,
// drawn without replacement: 1 − C(n−c, n')/C(n, n'), which is pass@n' (Chen et al. 2021). Comparing two runs
// with different n at the smaller n' this way turns "solved at least once" and "path sampled at least once" into
// expected counts; at equal n every chance is 0 or 1 and the counts are the plain ones.
using Rlvr.Host.Evaluation;

namespace Rlvr.Reporting;

/// <summary>Whether an outcome is seen at least once in a subsample of a run's samples.</summary>
public static class SolvedAt
{
    /// <summary>The chance that an outcome seen <paramref name="count"/> times in <paramref name="n"/> samples is among <paramref name="subsample"/> of them.</summary>
    public static double Chance(int n, int count, int subsample) => count == 0 ? 0.0 : PassAtK.Estimate(n, count, Math.Min(subsample, n));

    /// <summary>The chance that <paramref name="problem"/> is solved at least once in <paramref name="subsample"/> of its samples.</summary>
    public static double Chance(ProblemResult problem, int subsample) => Chance(problem.Samples, problem.Correct, subsample);
}
