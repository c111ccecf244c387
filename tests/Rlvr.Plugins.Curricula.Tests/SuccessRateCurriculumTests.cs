// "success-rate": a pool drawn in proportion to p(1 − p) + Floor, p a moving average of each problem's scores.
using System.Text.Json.Nodes;
using Rlvr.Curricula;
using Rlvr.Plugins.Curricula.Tests.Support;
using Rlvr.Tasks;
using static Rlvr.Plugins.Curricula.Tests.Support.CountingSource;

namespace Rlvr.Plugins.Curricula.Tests;

public class SuccessRateCurriculumTests
{
    private static Dictionary<string, int> Counts(IEnumerable<Problem> problems) =>
        problems.GroupBy(p => p.Id).ToDictionary(g => g.Key, g => g.Count());

    private static JsonArray Pool(SuccessRateCurriculum curriculum) => curriculum.SaveState()["pool"]!.AsArray();

    [Fact]
    public void SolvedAndHopelessProblemsGetOnlyTheFloorShareAndHalfSolvedOnesTheMost()
    {
        // Pool p0..p29; with Decay 0, p is the last score: p0..p9 hopeless (0), p10..p19 solved (1), p20..p29 at 0.5.
        var curriculum = New.SuccessRate(new SuccessRateOptions { PoolSize = 30, Decay = 0.0 });
        var source = new CountingSource();
        curriculum.Next(1, source, new Random(1));
        for (int i = 0; i < 30; i++) curriculum.Observe(Numbered(i), i < 10 ? 0.0 : i < 20 ? 1.0 : 0.5);

        const int draws = 28_000;
        var counts = Counts(curriculum.Next(draws, source, new Random(2)));
        int Count(int i) => counts.GetValueOrDefault($"p{i}");

        // Weights: 0 + 0.01 for each of the 20 extreme problems, 0.25 + 0.01 for each of the 10 others; total 2.8.
        // The extremes' share is 20 · 0.01 / 2.8 = 0.0714; over 28,000 draws its standard deviation is 0.0015, and
        // 5 of them (0.008) is the tolerance: wider than chance, far narrower than a sampler that ignored p.
        double extremeShare = Enumerable.Range(0, 20).Sum(Count) / (double)draws;
        Assert.InRange(extremeShare, 0.0714 - 0.008, 0.0714 + 0.008);
        Assert.All(Enumerable.Range(0, 20), i => Assert.InRange(Count(i), 1, Enumerable.Range(20, 10).Min(Count) - 1));   // drawn, never starved, always less
        Assert.Equal(30, counts.Count);
    }

    [Fact]
    public void UnseenProblemsAreDrawnAsThePriorSays()
    {
        // p0 hopeless (weight 0.01), p1 unseen at the prior 0.5 (weight 0.26): p1 takes 26 of 27 draws.
        var curriculum = New.SuccessRate(new SuccessRateOptions { PoolSize = 2, Decay = 0.0 });
        var source = new CountingSource();
        curriculum.Next(1, source, new Random(3));
        curriculum.Observe(Numbered(0), 0.0);

        const int draws = 27_000;   // the share 26/27 has standard deviation 0.0011 here; tolerance 5 of them
        double unseen = curriculum.Next(draws, source, new Random(4)).Count(p => p.Id == "p1") / (double)draws;
        Assert.InRange(unseen, 26.0 / 27 - 0.006, 26.0 / 27 + 0.006);
    }

    [Fact]
    public void SuccessIsAnExponentialMovingAverageFromThePrior()
    {
        var curriculum = New.SuccessRate(new SuccessRateOptions { PoolSize = 1, Decay = 0.5, Prior = 0.5 });
        curriculum.Next(1, new CountingSource(), new Random(5));
        curriculum.Observe(Numbered(0), 1.0);    // 0.5·0.5 + 0.5·1 = 0.75
        curriculum.Observe(Numbered(0), 1.0);    // 0.5·0.75 + 0.5·1 = 0.875
        curriculum.Observe(Numbered(0), 7.0);    // a reward above 1 counts as success: 0.9375
        curriculum.Observe(Numbered(0), double.NaN);
        curriculum.Observe(Numbered(99), 0.0);   // not in the pool

        var pooled = Assert.Single(Pool(curriculum));
        Assert.Equal(0.9375, pooled!["success"]!.GetValue<double>());
        Assert.Equal(3, pooled["observations"]!.GetValue<int>());
    }

    [Fact]
    public void ARefreshReplacesTheLeastLearnableShare()
    {
        // Pool p0..p3: p0 solved, p1 hopeless, p2 and p3 unseen. Every call after the first refreshes half the pool,
        // the two lowest weights: p0 and p1 make way for the next problems the source draws, p4 and p5.
        var curriculum = New.SuccessRate(new SuccessRateOptions { PoolSize = 4, Decay = 0.0, RefreshEvery = 1, RefreshShare = 0.5 });
        var source = new CountingSource();
        curriculum.Next(1, source, new Random(6));
        curriculum.Observe(Numbered(0), 1.0);
        curriculum.Observe(Numbered(1), 0.0);

        var drawn = curriculum.Next(1000, source, new Random(7));
        Assert.Equal(["p2", "p3", "p4", "p5"], drawn.Select(p => p.Id).Distinct().Order());
        curriculum.Observe(Numbered(0), 0.5);   // gone from the pool: ignored
        Assert.DoesNotContain(Pool(curriculum), node => node!["problem"]!["Id"]!.GetValue<string>() is "p0" or "p1");
    }

    [Fact]
    public void ThePoolHoldsDistinctProblemsFromTheConfiguredBand()
    {
        var curriculum = New.SuccessRate(new SuccessRateOptions { PoolSize = 64, MinDifficulty = 3, MaxDifficulty = 4 });
        var drawn = curriculum.Next(2000, new SeededSource(1, 6), new Random(8));
        Assert.All(drawn, p => Assert.InRange(p.Difficulty, 3, 4));
        var ids = Pool(curriculum).Select(node => node!["problem"]!["Id"]!.GetValue<string>()).ToList();
        Assert.Equal(64, ids.Distinct().Count());
    }

    [Fact]
    public void ATaskWithFewProblemsGivesASmallerPool()
    {
        var curriculum = New.SuccessRate(new SuccessRateOptions { PoolSize = 10 });
        var drawn = curriculum.Next(100, new OneProblemPerDifficulty(), new Random(9));
        Assert.Equal(3, Pool(curriculum).Count);          // difficulties 1..3, one problem each
        Assert.Equal(3, drawn.Select(p => p.Id).Distinct().Count());
    }

    [Fact]
    public void ABandOutsideTheSourceFailsTheFirstDrawNamingTheKeys()
    {
        var curriculum = New.SuccessRate(new SuccessRateOptions { MaxDifficulty = 9 });
        var e = Assert.Throws<InvalidOperationException>(() => curriculum.Next(1, new SeededSource(1, 6), new Random(10)));
        Assert.Equal("Curricula:SuccessRate:MinDifficulty/MaxDifficulty = 1..9: must lie within the task's difficulties 1..6.", e.Message);
    }

    private sealed class OneProblemPerDifficulty : IProblemSource
    {
        public DifficultyRange Difficulties => new(1, 3);
        public Problem Draw(int difficulty, Random random) => Numbered(difficulty, difficulty);
    }
}
