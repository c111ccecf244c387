// Config names parse to their enum values; anything else fails with the allowed names listed.
namespace Rlvr.PolicyGradient.Tests.Objectives;

public class ObjectiveNamesTests
{
    [Theory]
    [InlineData("group", AdvantageScale.Group)]
    [InlineData("batch", AdvantageScale.Batch)]
    [InlineData("none", AdvantageScale.None)]
    public void ParseScaleReadsEachName(string name, AdvantageScale expected) => Assert.Equal(expected, ObjectiveNames.ParseScale(name));

    [Theory]
    [InlineData("k1", KlEstimator.K1)]
    [InlineData("k3", KlEstimator.K3)]
    public void ParseKlReadsEachName(string name, KlEstimator expected) => Assert.Equal(expected, ObjectiveNames.ParseKl(name));

    [Theory]
    [InlineData("seq-mean-token-mean", LossAggregation.SeqMeanTokenMean)]
    [InlineData("token-mean", LossAggregation.TokenMean)]
    [InlineData("seq-mean-token-sum-norm", LossAggregation.SeqMeanTokenSumNorm)]
    public void ParseAggregationReadsEachName(string name, LossAggregation expected) => Assert.Equal(expected, ObjectiveNames.ParseAggregation(name));

    [Fact]
    public void EveryEnumValueHasExactlyOneName()
    {
        Assert.Equal(Enum.GetValues<AdvantageScale>().Length, ObjectiveNames.Scales.Length);
        Assert.Equal(Enum.GetValues<KlEstimator>().Length, ObjectiveNames.KlEstimators.Length);
        Assert.Equal(Enum.GetValues<LossAggregation>().Length, ObjectiveNames.Aggregations.Length);
    }

    [Fact]
    public void UnknownNamesListTheAllowedOnes()
    {
        var scale = Assert.Throws<ArgumentException>(() => ObjectiveNames.ParseScale("std"));
        Assert.Contains("group, batch, none", scale.Message);
        var kl = Assert.Throws<ArgumentException>(() => ObjectiveNames.ParseKl("k2"));
        Assert.Contains("k1, k3", kl.Message);
        var agg = Assert.Throws<ArgumentException>(() => ObjectiveNames.ParseAggregation("seq-mean"));
        Assert.Contains("seq-mean-token-mean, token-mean, seq-mean-token-sum-norm", agg.Message);
    }
}
