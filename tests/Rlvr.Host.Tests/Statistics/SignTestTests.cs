using Rlvr.Host.Statistics;

namespace Rlvr.Host.Tests.Statistics;

/// <summary>The exact two-sided sign test of problems gained against problems lost, against values worked by hand.</summary>
public sealed class SignTestTests
{
    [Fact]
    public void ThePIsTwiceTheSmallerBinomialTail()
    {
        // 11 gained, 6 lost: 2 · Σ_{i ≤ 6} C(17, i) / 2^17 = 2 · 21 778 / 131 072.
        Assert.Equal(2 * 21778 / 131072.0, SignTest.P(11, 6), precision: 12);
        Assert.Equal(SignTest.P(11, 6), SignTest.P(6, 11), precision: 12);
        Assert.Equal(2 / 1024.0, SignTest.P(10, 0), precision: 12);   // all ten one way
    }

    [Fact]
    public void AnEvenSplitOrNoChangeGivesOne()
    {
        Assert.Equal(1.0, SignTest.P(5, 5));
        Assert.Equal(1.0, SignTest.P(0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => SignTest.P(-1, 2));
    }
}
