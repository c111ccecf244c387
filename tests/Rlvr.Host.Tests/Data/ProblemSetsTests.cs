using Rlvr.Host.Data;
using Rlvr.Tasks;

namespace Rlvr.Host.Tests.Data;

public sealed class ProblemSetsTests
{
    // A task with few distinct problems per level: a + b for a, b in 0..3, so held-out sets cover much of it.
    private sealed class TinySums : IProblemGenerator
    {
        public string Alphabet => "0123456789+=#";
        public DifficultyRange Difficulties => new(1, 2);
        public Problem Generate(int difficulty, Random random)
        {
            int a = random.Next(4), b = random.Next(4) * difficulty;
            return new Problem($"{a}+{b}", $"{a}+{b}=", $"#{a + b}", $"{a + b}", difficulty);
        }
        public string WriteSolution(Problem problem, SolutionNoise noise, Random random) => problem.Solution;
    }

    [Fact]
    public void HeldOutProblemsAreDistinctWithDifficultiesInEqualShares()
    {
        var heldOut = ProblemSets.HeldOut(new TinySums(), new(1, 2), count: 10, seed: 3);
        Assert.Equal(10, heldOut.Select(p => p.Id).Distinct().Count());
        Assert.Equal(5, heldOut.Count(p => p.Difficulty == 1));
    }

    // TinySums with a held-out split of three given problems, one of them at a difficulty outside the band asked for.
    private sealed class TinySumsWithSplit(params Problem[] heldOut) : IProblemGenerator, IHeldOutSplit
    {
        private readonly TinySums _sums = new();
        public IReadOnlyList<Problem> HeldOut => heldOut;
        public string Alphabet => _sums.Alphabet;
        public DifficultyRange Difficulties => _sums.Difficulties;
        public Problem Generate(int difficulty, Random random) => _sums.Generate(difficulty, random);
        public string WriteSolution(Problem problem, SolutionNoise noise, Random random) => problem.Solution;
    }

    [Fact]
    public void AGivenHeldOutSplitIsTakenInOrderForEverySeedAndKeptOutOfTraining()
    {
        Problem Sum(int a, int b, int difficulty) => new($"{a}+{b}", $"{a}+{b}=", $"#{a + b}", $"{a + b}", difficulty);
        var task = new TinySumsWithSplit(Sum(1, 2, 2), Sum(0, 0, 1), Sum(3, 3, 9), Sum(2, 2, 2));

        var heldOut = ProblemSets.HeldOut(task, new(1, 2), count: 3, seed: 3);

        Assert.Equal(["1+2", "0+0", "2+2"], heldOut.Select(p => p.Id));
        Assert.Equal(heldOut, ProblemSets.HeldOut(task, new(1, 2), count: 3, seed: 4));
        var training = ProblemSets.Training(task, heldOut);
        var random = new Random(5);
        Assert.DoesNotContain(Enumerable.Range(0, 200).Select(_ => training.Draw(2, random).Id), heldOut.Select(p => p.Id).Contains);
        Assert.Throws<InvalidOperationException>(() => ProblemSets.HeldOut(task, new(1, 2), count: 4, seed: 3));
    }

    [Fact]
    public void TrainingNeverYieldsAHeldOutProblem()
    {
        var task = new TinySums();
        var heldOut = ProblemSets.HeldOut(task, task.Difficulties, count: 12, seed: 3);
        var source = ProblemSets.Training(task, heldOut);
        var random = new Random(5);
        var ids = heldOut.Select(p => p.Id).ToHashSet();

        var drawn = Enumerable.Range(0, 2000).Select(i => source.Draw(1 + i % 2, random)).ToList();
        Assert.DoesNotContain(drawn, p => ids.Contains(p.Id));
        Assert.True(drawn.Select(p => p.Id).Distinct().Count() >= 16 * 2 - 12 - 8, "the rest of the problem space is still drawn");
    }

    [Fact]
    public void AskingForMoreProblemsThanExistIsAClearError()
    {
        var e = Assert.Throws<InvalidOperationException>(() => ProblemSets.HeldOut(new TinySums(), new(1, 2), count: 100, seed: 3));
        Assert.Contains("distinct problems", e.Message);
    }
}
