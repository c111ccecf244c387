// "mixture": bands drawn by weight, difficulties uniform inside a band, bands checked against the source.
using Rlvr.Plugins.Curricula.Tests.Support;

namespace Rlvr.Plugins.Curricula.Tests;

public class MixtureCurriculumTests
{
    private const int Draws = 20_000;

    // Each share is a binomial proportion over 20,000 independent draws, whose standard deviation is
    // sqrt(q(1 − q) / 20,000): at most 0.0035 (q = 0.5). A tolerance of 5 standard deviations fails a correct sampler
    // with probability below 1e-6 (the seed is fixed anyway), yet catches a sampler that is off by 2 points.
    private static double Tolerance(double q) => 5 * Math.Sqrt(q * (1 - q) / Draws);

    [Fact]
    public void BandsAreDrawnInProportionToTheirWeightsAndDifficultiesUniformlyWithinThem()
    {
        var problems = New.Mixture((2, 3, 3.0), (5, 5, 1.0)).Next(Draws, new SeededSource(1, 6), new Random(1));
        double Share(int d) => problems.Count(p => p.Difficulty == d) / (double)Draws;

        // Band 2..3 has weight 3/4, split evenly: 3/8 each; band 5..5 has 1/4; nothing else is ever drawn.
        Assert.InRange(Share(2), 0.375 - Tolerance(0.375), 0.375 + Tolerance(0.375));
        Assert.InRange(Share(3), 0.375 - Tolerance(0.375), 0.375 + Tolerance(0.375));
        Assert.InRange(Share(5), 0.25 - Tolerance(0.25), 0.25 + Tolerance(0.25));
        Assert.Equal(1.0, Share(2) + Share(3) + Share(5));
    }

    [Fact]
    public void ARareBandGetsItsSmallShare()
    {
        var problems = New.Mixture((2, 3, 0.99), (5, 5, 0.01)).Next(Draws, new SeededSource(1, 6), new Random(2));
        double hard = problems.Count(p => p.Difficulty == 5) / (double)Draws;
        Assert.InRange(hard, 0.01 - Tolerance(0.01), 0.01 + Tolerance(0.01));   // 200 ± 70 of 20,000
        Assert.All(problems, p => Assert.Contains(p.Difficulty, new[] { 2, 3, 5 }));
    }

    [Fact]
    public void ABandOutsideTheSourceFailsTheFirstDrawNamingTheBand()
    {
        var e = Assert.Throws<InvalidOperationException>(() => New.Mixture((2, 3, 1.0), (5, 7, 1.0)).Next(1, new SeededSource(1, 6), new Random(3)));
        Assert.Equal("Curricula:Mixture:Bands:1 = 5..7: must lie within the task's difficulties 1..6.", e.Message);
    }

    [Fact]
    public void NoBandsFailsTheFirstDrawNamingTheKey()
    {
        var e = Assert.Throws<InvalidOperationException>(() => New.Mixture().Next(1, new SeededSource(), new Random(4)));
        Assert.StartsWith("Curricula:Mixture:Bands is empty", e.Message);
    }

    [Fact]
    public void ObservingChangesNothing()
    {
        var observed = New.Mixture((1, 6, 1.0));
        var first = observed.Next(50, new SeededSource(), new Random(5));
        foreach (var problem in first) observed.Observe(problem, 0.0);

        Assert.Equal(New.Mixture((1, 6, 1.0)).Next(50, new SeededSource(), new Random(6)), observed.Next(50, new SeededSource(), new Random(6)));
    }
}
