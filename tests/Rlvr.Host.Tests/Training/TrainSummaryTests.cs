using Rlvr.Host.Training;

namespace Rlvr.Host.Tests.Training;

/// <summary>The closing line of an arm's training: the progress log's windows, and a curriculum's difficulty at each end.</summary>
public sealed class TrainSummaryTests
{
    private static TrainSummary Summary(Dictionary<string, double> first, Dictionary<string, double> last, int window) =>
        new(40, TimeSpan.FromSeconds(12), first, last, window);

    [Fact]
    public void TheRewardChangeNamesItsWindows()
    {
        var summary = Summary(new() { ["reward_mean"] = 0.25, ["entropy"] = 1 }, new() { ["reward_mean"] = 0.5, ["entropy"] = 0.5 }, 10);

        Assert.Equal("training reward_mean 0.250 -> 0.500 (means of the first and the last 10 steps)", summary.Describe());
    }

    [Fact]
    public void UnderACurriculumItSaysWhetherTheDifficultyMoved()
    {
        var moved = Summary(new() { ["reward_mean"] = 0.25, ["difficulty_mean"] = 2 }, new() { ["reward_mean"] = 0.5, ["difficulty_mean"] = 3.5 }, 5);
        var still = Summary(new() { ["loss"] = 2, ["difficulty_mean"] = 2 }, new() { ["loss"] = 1, ["difficulty_mean"] = 2 }, 1);

        Assert.Equal("training reward_mean 0.250 -> 0.500 (means of the first and the last 5 steps; " +
                     "the curriculum moved the mean difficulty 2.00 -> 3.50, so the two ends are not comparable)", moved.Describe());
        Assert.Equal("training loss 2.000 -> 1.000 (the first and the last step; under a curriculum, mean difficulty 2.00 at both ends)", still.Describe());
        Assert.Equal("", Summary(new() { ["entropy"] = 1 }, new() { ["entropy"] = 1 }, 10).Describe());
    }
}
