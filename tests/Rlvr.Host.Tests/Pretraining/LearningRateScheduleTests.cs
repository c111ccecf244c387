using Rlvr.Training;
using Rlvr.Host.Pretraining;

namespace Rlvr.Host.Tests.Pretraining;

public sealed class LearningRateScheduleTests
{
    [Theory]
    [InlineData(0, 0.1)]      // warm-up: peak·(s+1)/W = 1·1/10
    [InlineData(4, 0.5)]
    [InlineData(9, 1.0)]      // end of warm-up
    [InlineData(10, 1.0)]     // cosine starts at the peak
    [InlineData(60, 0.55)]    // half way through the decay: min + ½(peak − min) = 0.1 + 0.45
    [InlineData(110, 0.1)]    // the floor
    [InlineData(500, 0.1)]    // past the end it stays at the floor
    public void WarmupThenCosineToTheFloor(int step, double expected) =>
        Assert.Equal(expected, LearningRateSchedule.At(step, totalSteps: 110, warmupSteps: 10, peak: 1.0, min: 0.1), precision: 12);
}
