// Section 3: coverage (solved at least once) of base and arm at equal n, problems gained and lost per seed, and
// examples of each.
using System.Globalization;

namespace Rlvr.Reporting;

internal static class CoverageSection
{
    private const int Examples = 3;

    public static IEnumerable<ReportBlock> Build(ReportContext context) => context.Comparison("3. Coverage, problems gained and lost", arms => Body(context, arms));

    private static IEnumerable<ReportBlock> Body(ReportContext context, IReadOnlyList<string> arms)
    {
        yield return new ReportBlock.Paragraph(
            "Coverage is the share of problems solved at least once in n samples. A problem is gained when the base never solved it and the arm did, " +
            "lost when the reverse. Both runs are taken at the smaller n of the two; where one drew more samples, the chance that a subset of n of them " +
            "holds a correct one is pass@n of its counts, so gained and lost are expected counts (with a decimal). At equal n they are plain counts.");
        var changes = arms.ToDictionary(arm => arm, arm => context.Study.Pairs(arm).Select(p => (Seed: p.Label, Change: CoverageChange.Of(p))).ToList());
        yield return new ReportBlock.Table(["arm", "seed", "n compared", "problems", "base coverage", "arm coverage", "gained", "lost", "net"],
            [.. arms.SelectMany(arm => changes[arm].Select(s => (IReadOnlyList<string>)[arm, s.Seed,
                s.Change.Samples.ToString(CultureInfo.InvariantCulture), s.Change.Problems.Count.ToString(CultureInfo.InvariantCulture),
                ReportFormat.Number(s.Change.BaseCoverage), ReportFormat.Number(s.Change.ArmCoverage),
                ReportFormat.Count(s.Change.Gained), ReportFormat.Count(s.Change.Lost), ReportFormat.Count(s.Change.Gained - s.Change.Lost)]))]);

        yield return new ReportBlock.Heading(3, "Examples");
        foreach (string arm in arms)
        {
            var all = changes[arm].SelectMany(s => s.Change.Problems).ToList();
            var gained = Likeliest(all, p => p.Gained).Select(p => Describe(p, p.Gained));
            var lost = Likeliest(all, p => p.Lost).Select(p => Describe(p, p.Lost));
            yield return new ReportBlock.Paragraph($"**{arm}**");
            yield return new ReportBlock.BulletList([.. gained.Select(g => "gained: " + g).DefaultIfEmpty("gained: none with chance ≥ 0.5"),
                                                     .. lost.Select(l => "lost: " + l).DefaultIfEmpty("lost: none with chance ≥ 0.5")]);
        }
    }

    // Only what is more likely than not makes an example; a problem gained in several seeds is shown once.
    private static IEnumerable<CoverageChange.Problem> Likeliest(IEnumerable<CoverageChange.Problem> problems, Func<CoverageChange.Problem, double> chance) =>
        problems.Where(p => chance(p) >= 0.5).OrderByDescending(chance).ThenBy(p => p.Base.Id, StringComparer.Ordinal).DistinctBy(p => p.Base.Id).Take(Examples);

    private static string Describe(CoverageChange.Problem p, double chance) =>
        $"{ReportFormat.Code(p.Base.Prompt)} → {ReportFormat.Code(p.Base.Answer)} (difficulty {p.Base.Difficulty}; " +
        $"base {p.Base.Correct}/{p.Base.Samples} correct, arm {p.Arm.Correct}/{p.Arm.Samples}" +
        (chance < 0.995 ? $"; chance {ReportFormat.Number(chance, 2)} at equal n)" : ")");
}
