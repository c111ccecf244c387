using Rlvr.Index;

namespace Rlvr.Host.Tests.Index;

/// <summary>The side-by-side comparison of a study's arms, checked against means worked out by hand (see <see cref="FakeRuns.Study"/>).</summary>
public sealed class StudyComparisonTests : IDisposable
{
    private readonly FakeRuns _runs = FakeRuns.Study();

    public void Dispose() => _runs.Dispose();

    private IReadOnlyList<ArmSummary> Compare(params int[] ks)
    {
        using var index = new RunIndex(_runs.Root);
        index.Sync();
        return index.Compare("s", ks);
    }

    [Fact]
    public void ArmsAreAveragedOverTheirFinishedSeeds()
    {
        var arms = Compare(1, 8, 64);

        // sft failed and grpo seed 4 is still running: neither counts.
        Assert.Equal(["base", "grpo"], arms.Select(a => a.Arm));
        var grpo = arms[1];
        Assert.Equal([1, 2, 3], grpo.Seeds);
        // pass@1: (0.1 + 0.2 + 0.6) / 3 = 0.3 over 0.1..0.6; pass@8: (0.5 + 0.6 + 0.7) / 3 = 0.6; coverage: (0.8 + 0.9 + 1.0) / 3 = 0.9.
        AssertSpread(new SeedSpread(0.3, 0.1, 0.6, 3), grpo.PassAtK[1]);
        AssertSpread(new SeedSpread(0.6, 0.5, 0.7, 3), grpo.PassAtK[8]);
        AssertSpread(new SeedSpread(0.9, 0.8, 1.0, 3), grpo.Coverage);
        // Nobody was evaluated at k = 64.
        Assert.False(grpo.PassAtK.ContainsKey(64));
    }

    [Fact]
    public void OneSeedShowsItsOwnBootstrapInterval()
    {
        var baseline = Compare(1, 8)[0];

        Assert.Equal([1], baseline.Seeds);
        AssertSpread(new SeedSpread(0.25, 0.20, 0.30, 1), baseline.PassAtK[1]);
        AssertSpread(new SeedSpread(0.70, 0.60, 0.80, 1), baseline.PassAtK[8]);
        // Coverage has no interval.
        AssertSpread(new SeedSpread(0.9, 0.9, 0.9, 1), baseline.Coverage);
    }

    [Fact]
    public void ASeedEvaluatedAtFewerKsCountsOnlyWhereItWasEvaluated()
    {
        _runs.Evaluation("s", "grpo", 3, 1.0, (1, 0.6, 0.55, 0.65));

        var grpo = Compare(1, 8)[1];

        AssertSpread(new SeedSpread(0.3, 0.1, 0.6, 3), grpo.PassAtK[1]);
        AssertSpread(new SeedSpread(0.55, 0.5, 0.6, 2), grpo.PassAtK[8]);
    }

    [Fact]
    public void EachArmIsPairedSeedBySeedWithItsOwnBase()
    {
        // Bases for seeds 2 and 3 beside seed 1's 0.25: pass@1 0.30 and 0.20. grpo's 0.1, 0.2, 0.6 then differ by
        // −0.15, −0.10, +0.40 from the base each was trained from.
        _runs.Config("s", "base", 2);
        _runs.Evaluation("s", "base", 2, 0.9, (1, 0.30, 0.25, 0.35));
        _runs.Config("s", "base", 3);
        _runs.Evaluation("s", "base", 3, 0.9, (1, 0.20, 0.15, 0.25));
        using var index = new RunIndex(_runs.Root);
        index.Sync();

        var differences = StudyComparison.PairedWithBase(index.Runs(new RunFilter(Study: "s", Status: Rlvr.Host.Runs.RunStatus.Finished)), [1, 8]);

        var passAt1 = Assert.Single(differences, d => d.Metric == "pass@1");
        Assert.Equal("grpo", passAt1.Arm);
        Assert.Equal([1, 2, 3], passAt1.Seeds);
        Assert.Equal([-0.15, -0.10, 0.40], passAt1.Difference.Differences, new Tolerance());
        Assert.Equal(0.05, passAt1.Difference.Mean, precision: 12);
        Assert.Equal(0.05 - 4.302652730 * Math.Sqrt(0.0925 / 3), passAt1.Difference.Lower, precision: 6);
        // Only base seed 1 was evaluated at k = 8: one pair, so a mean and no interval.
        var passAt8 = Assert.Single(differences, d => d.Metric == "pass@8");
        Assert.Equal([1], passAt8.Seeds);
        Assert.Equal(0.5 - 0.7, passAt8.Difference.Mean, precision: 12);
        Assert.True(double.IsNaN(passAt8.Difference.Lower));
        Assert.Equal(3, Assert.Single(differences, d => d.Metric == "coverage").Seeds.Count);
    }

    private sealed class Tolerance : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= 1e-12;
        public int GetHashCode(double value) => 0;
    }

    private static void AssertSpread(SeedSpread expected, SeedSpread actual)
    {
        Assert.Equal(expected.Seeds, actual.Seeds);
        Assert.Equal(expected.Mean, actual.Mean, 12);
        Assert.Equal(expected.Low, actual.Low, 12);
        Assert.Equal(expected.High, actual.High, 12);
    }
}
