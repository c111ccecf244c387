// "adaptive": the level moves only when a full window of scores at the current level has a mean beyond a threshold.
using Rlvr.Plugins.Curricula.Tests.Support;

namespace Rlvr.Plugins.Curricula.Tests;

public class AdaptiveCurriculumTests
{
    private static readonly SeededSource Source = new(2, 6);
    private readonly Random _random = new(1);

    private int Level(AdaptiveCurriculum curriculum) => curriculum.Next(1, Source, _random).Single().Difficulty;

    // Observes one problem at the current level per score.
    private void Observe(AdaptiveCurriculum curriculum, params double[] scores)
    {
        foreach (double score in scores) curriculum.Observe(curriculum.Next(1, Source, _random).Single(), score);
    }

    [Fact]
    public void StartsAtTheSourcesEasiestDifficultyOrAtStartDifficulty()
    {
        Assert.Equal(2, Level(New.Adaptive(new AdaptiveOptions())));
        Assert.Equal(4, Level(New.Adaptive(new AdaptiveOptions { StartDifficulty = 4 })));
    }

    [Fact]
    public void LevelsUpAfterExactlyWindowScoresAboveUpperAndNotBefore()
    {
        var adaptive = New.Adaptive(new AdaptiveOptions { Window = 5 });
        Observe(adaptive, 1, 1, 1, 1);
        Assert.Equal(2, Level(adaptive));   // four of five: the window is not full yet
        Observe(adaptive, 1);
        Assert.Equal(3, Level(adaptive));   // mean 1 > 0.7 over the full window
    }

    [Fact]
    public void LevelsDownWhenTheMeanFallsBelowLower()
    {
        var adaptive = New.Adaptive(new AdaptiveOptions { StartDifficulty = 4, Window = 3 });
        Observe(adaptive, 0, 0.2);
        Assert.Equal(4, Level(adaptive));
        Observe(adaptive, 0);
        Assert.Equal(3, Level(adaptive));   // mean 0.2 / 3 = 0.067 < 0.1
    }

    [Fact]
    public void AMeanEqualToAThresholdDoesNotMove()
    {
        // 7 of 10 solved: the mean is exactly 0.7, which does not pass Upper = 0.7; 1 of 10 is exactly Lower = 0.1.
        var up = New.Adaptive(new AdaptiveOptions { StartDifficulty = 4, Window = 10 });
        Observe(up, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0);
        Assert.Equal(4, Level(up));
        var down = New.Adaptive(new AdaptiveOptions { StartDifficulty = 4, Window = 10 });
        Observe(down, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        Assert.Equal(4, Level(down));
    }

    [Fact]
    public void TheWindowSlidesOverTheLastScores()
    {
        var adaptive = New.Adaptive(new AdaptiveOptions { Window = 3 });
        Observe(adaptive, 0, 1, 1);           // mean 0.67: stays
        Assert.Equal(2, Level(adaptive));
        Observe(adaptive, 1);                 // the 0 has left the window: mean 1
        Assert.Equal(3, Level(adaptive));
    }

    [Fact]
    public void TheWindowStartsAfreshAfterAMove()
    {
        var adaptive = New.Adaptive(new AdaptiveOptions { Window = 4 });
        Observe(adaptive, 1, 1, 1, 1);
        Assert.Equal(3, Level(adaptive));
        Observe(adaptive, 1, 1, 1);           // three scores at level 3: not a full window, though the last four were all 1
        Assert.Equal(3, Level(adaptive));
        Observe(adaptive, 1);
        Assert.Equal(4, Level(adaptive));
    }

    [Fact]
    public void ScoresOfProblemsFromAnotherLevelAreIgnored()
    {
        var adaptive = New.Adaptive(new AdaptiveOptions { Window = 2 });
        var batch = adaptive.Next(4, Source, _random);                   // four problems at level 2
        foreach (var problem in batch) adaptive.Observe(problem, 1.0);   // the first two move the level; the other two are stale
        Assert.Equal(3, Level(adaptive));
        Observe(adaptive, 1);
        Assert.Equal(3, Level(adaptive));                                // one score at level 3 so far, not three
        adaptive.Observe(Source.Draw(3, _random), double.NaN);          // nor does a non-finite score count:
        Observe(adaptive, 1);                                            // the window is [1, 1], not [1, NaN]
        Assert.Equal(4, Level(adaptive));
    }

    [Fact]
    public void TheLevelStaysWithinTheSourcesDifficulties()
    {
        var top = New.Adaptive(new AdaptiveOptions { StartDifficulty = 6, Window = 2 });
        Observe(top, 1, 1, 1, 1);
        Assert.Equal(6, Level(top));
        var bottom = New.Adaptive(new AdaptiveOptions { Window = 2 });
        Observe(bottom, 0, 0, 0, 0);
        Assert.Equal(2, Level(bottom));
    }

    [Fact]
    public void AStartDifficultyOutsideTheSourceFailsTheFirstDrawNamingTheKey()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Level(New.Adaptive(new AdaptiveOptions { StartDifficulty = 9 })));
        Assert.Equal("Curricula:Adaptive:StartDifficulty = 9: must lie within the task's difficulties 2..6.", e.Message);
    }
}
