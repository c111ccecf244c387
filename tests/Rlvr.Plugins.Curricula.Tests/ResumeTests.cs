// A curriculum restored from its saved state, read back from JSON text as from a checkpoint file, makes exactly the
// choices of the uninterrupted one given the same random stream: what bit-identical resume of a killed run needs.
using System.Text.Json.Nodes;
using Rlvr.Curricula;
using Rlvr.Plugins.Curricula.Tests.Support;
using Rlvr.Tasks;

namespace Rlvr.Plugins.Curricula.Tests;

public class ResumeTests
{
    private static readonly SeededSource Source = new(1, 6);

    public static TheoryData<string> Names => new() { "mixture", "staged", "adaptive", "success-rate" };

    public static TheoryData<string> StatefulNames => new() { "staged", "adaptive", "success-rate" };

    private static ICurriculum Create(string name) => name switch
    {
        "mixture" => New.Mixture((1, 2, 3.0), (4, 6, 1.0)),
        "staged" => New.Staged((0, 1, 2), (12, 2, 4), (25, 3, 6)),
        "adaptive" => New.Adaptive(new AdaptiveOptions { Window = 4 }),
        "success-rate" => New.SuccessRate(new SuccessRateOptions { PoolSize = 16, RefreshEvery = 5, RefreshShare = 0.25 }),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    // Steps of a training loop: draw a batch of 8, then score each problem.
    private static List<Problem> Run(ICurriculum curriculum, Random random, int steps)
    {
        var drawn = new List<Problem>();
        for (int step = 0; step < steps; step++)
        {
            var batch = curriculum.Next(8, Source, random);
            foreach (var problem in batch) curriculum.Observe(problem, SeededSource.Score(problem));
            drawn.AddRange(batch);
        }
        return drawn;
    }

    private static JsonObject Checkpoint(ICurriculum curriculum) => JsonNode.Parse(curriculum.SaveState().ToJsonString())!.AsObject();

    [Theory]
    [MemberData(nameof(Names))]
    public void ARestoredCurriculumChoosesExactlyAsTheUninterruptedOne(string name)
    {
        var uninterrupted = Create(name);
        Run(uninterrupted, new Random(1), steps: 20);
        var saved = Checkpoint(uninterrupted);

        var resumed = Create(name);
        Run(resumed, new Random(99), steps: 7);    // whatever it held before loading must be replaced
        resumed.LoadState(saved);

        var expected = Run(uninterrupted, new Random(2), steps: 20);
        Assert.Equal(expected, Run(resumed, new Random(2), steps: 20));
        Assert.Equal(uninterrupted.SaveState().ToJsonString(), resumed.SaveState().ToJsonString());
        Assert.True(expected.Select(p => p.Difficulty).Distinct().Count() > 1, "the compared stretch should exercise more than one difficulty");
    }

    // The check above is not vacuous: a curriculum that learns, started afresh on the same stream, chooses otherwise.
    [Theory]
    [MemberData(nameof(StatefulNames))]
    public void WithoutTheStateTheChoicesDiffer(string name)
    {
        var uninterrupted = Create(name);
        Run(uninterrupted, new Random(1), steps: 20);
        var expected = Run(uninterrupted, new Random(2), steps: 20);
        Assert.NotEqual(expected, Run(Create(name), new Random(2), steps: 20));
    }

    [Fact]
    public void AStateFromAnotherCurriculumIsRefused()
    {
        var e = Assert.Throws<InvalidDataException>(() => Create("mixture").LoadState(Checkpoint(Create("staged"))));
        Assert.Contains("state of curriculum 'staged', not 'mixture'", e.Message);
        Assert.Throws<InvalidDataException>(() => Create("adaptive").LoadState(new JsonObject()));
    }
}
