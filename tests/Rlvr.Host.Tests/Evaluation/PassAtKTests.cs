using Rlvr.Host.Evaluation;

namespace Rlvr.Host.Tests.Evaluation;

public sealed class PassAtKTests
{
    [Theory]
    [InlineData(10, 0, 1, 0.0)]            // nothing right: never passes
    [InlineData(10, 10, 1, 1.0)]           // everything right
    [InlineData(10, 3, 1, 0.3)]            // pass@1 is c/n
    [InlineData(10, 3, 2, 1 - 21.0 / 45)]  // 1 − C(7,2)/C(10,2)
    [InlineData(5, 2, 4, 1.0)]             // n − c = 3 < k = 4: every 4-subset holds a right one
    [InlineData(4, 1, 2, 0.5)]             // 1 − C(3,2)/C(4,2) = 1 − 3/6
    [InlineData(256, 1, 256, 1.0)]
    [InlineData(256, 1, 128, 0.5)]         // 1 − C(255,128)/C(256,128) = 1 − 128/256
    public void MatchesValuesWorkedOutByHand(int n, int c, int k, double expected) =>
        Assert.Equal(expected, PassAtK.Estimate(n, c, k), precision: 12);

    [Fact]
    public void AgreesWithTheCombinatorialForm()
    {
        for (int n = 1; n <= 30; n++)
            for (int c = 0; c <= n; c++)
                for (int k = 1; k <= n; k++)
                    Assert.Equal(1.0 - Choose(n - c, k) / Choose(n, k), PassAtK.Estimate(n, c, k), precision: 9);
    }

    [Fact]
    public void RejectsImpossibleCounts()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PassAtK.Estimate(10, 11, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => PassAtK.Estimate(10, 3, 11));
        Assert.Throws<ArgumentOutOfRangeException>(() => PassAtK.Estimate(10, 3, 0));
    }

    [Fact]
    public void KsArePowersOfTwoUpToN()
    {
        Assert.Equal([1, 2, 4, 8, 16, 32, 64, 128, 256], PassAtK.Ks(256));
        Assert.Equal([1, 2, 4, 8, 10], PassAtK.Ks(10));
        Assert.Equal([1], PassAtK.Ks(1));
    }

    [Fact]
    public void BootstrapIntervalContainsTheMeanAndShrinksWithMoreProblems()
    {
        var random = new Random(7);
        double[] Draw(int problems) => Enumerable.Range(0, problems).Select(_ => random.NextDouble() < 0.4 ? 1.0 : 0.0).ToArray();

        var few = PassAtK.MeanWithBootstrap(Draw(20), seed: 1);
        var many = PassAtK.MeanWithBootstrap(Draw(2000), seed: 1);

        Assert.InRange(few.Mean, few.Lower, few.Upper);
        Assert.InRange(many.Mean, many.Lower, many.Upper);
        Assert.True(many.Upper - many.Lower < (few.Upper - few.Lower) / 4,
            $"{few} vs {many}: 100x the problems should shrink the interval about 10x");
        // Binomial standard error at p = 0.4, 2000 problems: 0.011; a 95% interval is about ±0.021.
        Assert.InRange(many.Upper - many.Lower, 0.03, 0.06);
    }

    [Fact]
    public void BootstrapIsDeterministicForASeed() =>
        Assert.Equal(PassAtK.MeanWithBootstrap([0, 1, 0.5, 0.25], seed: 3), PassAtK.MeanWithBootstrap([0, 1, 0.5, 0.25], seed: 3));

    private static double Choose(int n, int k)
    {
        if (k > n) return 0;
        double result = 1;
        for (int i = 1; i <= k; i++) result = result * (n - k + i) / i;
        return result;
    }
}
