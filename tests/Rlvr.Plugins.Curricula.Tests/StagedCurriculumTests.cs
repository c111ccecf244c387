// "staged": the band in force is the last stage whose FromStep is at most the number of earlier calls of Next.
using Rlvr.Plugins.Curricula.Tests.Support;

namespace Rlvr.Plugins.Curricula.Tests;

public class StagedCurriculumTests
{
    [Fact]
    public void EachCallIsOneStepAndTheBandSwitchesAtTheConfiguredStep()
    {
        var staged = New.Staged((0, 2, 2), (3, 4, 5), (5, 6, 6));
        var source = new SeededSource(1, 6);
        var random = new Random(1);
        var steps = Enumerable.Range(0, 7).Select(_ => staged.Next(200, source, random).Select(p => p.Difficulty).Distinct().Order().ToArray()).ToList();

        Assert.Equal([2], steps[0]);
        Assert.Equal([2], steps[2]);      // calls 0, 1, 2 are steps 0..2: still the first stage
        Assert.Equal([4, 5], steps[3]);   // the fourth call is step 3, where the second stage starts
        Assert.Equal([4, 5], steps[4]);
        Assert.Equal([6], steps[5]);
        Assert.Equal([6], steps[6]);      // the last stage lasts for ever
    }

    [Fact]
    public void TheStepCountDoesNotDependOnHowManyProblemsACallDraws()
    {
        var staged = New.Staged((0, 2, 2), (2, 3, 3));
        var source = new SeededSource(1, 6);
        staged.Next(1, source, new Random(2));
        staged.Next(500, source, new Random(2));
        Assert.Equal(3, staged.Next(1, source, new Random(2)).Single().Difficulty);
    }

    [Fact]
    public void ALaterStageOutsideTheSourceFailsTheFirstDraw()
    {
        var staged = New.Staged((0, 2, 2), (1000, 5, 9));
        var e = Assert.Throws<InvalidOperationException>(() => staged.Next(1, new SeededSource(1, 6), new Random(3)));
        Assert.Equal("Curricula:Staged:Stages:1 = 5..9: must lie within the task's difficulties 1..6.", e.Message);
    }

    [Fact]
    public void NoStagesFailsTheFirstDrawNamingTheKey()
    {
        var e = Assert.Throws<InvalidOperationException>(() => New.Staged().Next(1, new SeededSource(), new Random(4)));
        Assert.StartsWith("Curricula:Staged:Stages is empty", e.Message);
    }
}
