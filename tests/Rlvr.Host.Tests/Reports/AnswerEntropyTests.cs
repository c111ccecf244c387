using Rlvr.Reporting;
using static Rlvr.Host.Tests.Reports.Problems;

namespace Rlvr.Host.Tests.Reports;

public sealed class AnswerEntropyTests
{
    [Fact]
    public void IsTheEntropyOfTheAnswerShares()
    {
        Assert.Equal(0, AnswerEntropy.Of(new Dictionary<string, int> { ["7"] = 8 }));
        Assert.Equal(Math.Log(2), AnswerEntropy.Of(new Dictionary<string, int> { ["7"] = 4, ["8"] = 4 }), precision: 12);
        // p = 1/2, 1/4, 1/4: H = 1/2 ln 2 + 2 · 1/4 ln 4 = 1.5 ln 2
        Assert.Equal(1.5 * Math.Log(2), AnswerEntropy.Of(new Dictionary<string, int> { ["7"] = 4, ["8"] = 2, [""] = 2 }), precision: 12);
    }

    [Fact]
    public void TheMeanNeedsEveryProblemsAnswerCounts()
    {
        var recorded = With("a", 4, new Dictionary<string, int> { ["x"] = 2 }, answers: new Dictionary<string, int> { ["7"] = 2, ["6"] = 2 });
        var alsoRecorded = With("b", 4, new Dictionary<string, int>(), answers: new Dictionary<string, int> { ["5"] = 4 });
        Assert.Equal(Math.Log(2) / 2, AnswerEntropy.Mean([recorded, alsoRecorded])!.Value, precision: 12);
        Assert.Null(AnswerEntropy.Mean([recorded, Counts("c", 4, 1)]));
    }
}
