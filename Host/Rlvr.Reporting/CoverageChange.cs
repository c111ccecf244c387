// Coverage and the problems an arm gained and lost against its base, at the smaller n of the two. Gained: the
// base never solved it and the arm did; lost: the reverse. At unequal n both are expected counts (see SolvedAt).
using Rlvr.Host.Evaluation;

namespace Rlvr.Reporting;

/// <summary>Coverage of base and arm, and the problems gained and lost, for one seed.</summary>
/// <param name="Samples">The n compared at.</param>
/// <param name="BaseCoverage">The share of problems the base solves at least once in n samples (its pass@n).</param>
/// <param name="Gained">How many problems were gained (expected count when n differs).</param>
public sealed record CoverageChange(int Samples, double BaseCoverage, double ArmCoverage, double Gained, double Lost, IReadOnlyList<CoverageChange.Problem> Problems)
{
    /// <summary>One problem: its base and arm results and its chance of being gained or lost.</summary>
    public sealed record Problem(ProblemResult Base, ProblemResult Arm, double Gained, double Lost);

    public static CoverageChange Of(SeedPair pair)
    {
        int n = pair.Samples;
        var problems = pair.Matched.Select(m =>
        {
            double b = SolvedAt.Chance(m.Base, n), a = SolvedAt.Chance(m.Arm, n);
            return new Problem(m.Base, m.Arm, Gained: (1 - b) * a, Lost: b * (1 - a));
        }).ToList();
        return new CoverageChange(n,
            problems.Average(p => SolvedAt.Chance(p.Base, n)), problems.Average(p => SolvedAt.Chance(p.Arm, n)),
            problems.Sum(p => p.Gained), problems.Sum(p => p.Lost), problems);
    }
}
