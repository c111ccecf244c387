using Rlvr.Host.Index;

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

    private static void AssertSpread(SeedSpread expected, SeedSpread actual)
    {
        Assert.Equal(expected.Seeds, actual.Seeds);
        Assert.Equal(expected.Mean, actual.Mean, 12);
        Assert.Equal(expected.Low, actual.Low, 12);
        Assert.Equal(expected.High, actual.High, 12);
    }
}
