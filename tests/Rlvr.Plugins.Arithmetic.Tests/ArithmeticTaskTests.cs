// The generators: clean solutions verify, noise hits the requested rates, generation is deterministic and bounded.
using Rlvr.Plugins.Arithmetic.Tests.Support;
using Rlvr.Tasks;
using Xunit.Abstractions;

namespace Rlvr.Plugins.Arithmetic.Tests;

public class ArithmeticTaskTests(ITestOutputHelper output)
{
    private static readonly ArithmeticVerifier s_verifier = new();

    [Theory]
    [MemberData(nameof(TestTasks.GeneratorData), MemberType = typeof(TestTasks))]
    public void CleanSolutionsVerifyAsAllCorrectAtEveryDifficulty(string generator)
    {
        var task = TestTasks.Widest(generator);
        var random = new Random(11);
        foreach (var problem in TestTasks.Sample(task, 200, seed: 1))
        {
            var v = s_verifier.Verify(problem, problem.Solution);
            Assert.True(v.AllStepsCorrect, $"{problem.Prompt}{problem.Solution}");
            Assert.Equal(StepsOf(problem), v.Steps.Count);
            Assert.Equal(problem.Solution, task.WriteSolution(problem, SolutionNoise.None, random));
            Assert.EndsWith("#" + problem.Answer, problem.Solution);
        }
    }

    [Theory]
    [InlineData(ArithmeticOptions.ChainSum, 0.2)]
    [InlineData(ArithmeticOptions.ChainSum, 0.05)]
    [InlineData(ArithmeticOptions.DependencyGraph, 0.2)]
    [InlineData(ArithmeticOptions.DependencyGraph, 0.5)]
    public void NoisySolutionsHaveTheRequestedStepErrorRate(string generator, double stepError)
    {
        var task = TestTasks.Create(generator);
        var random = new Random(3);
        int steps = 0, wrong = 0;
        foreach (var problem in TestTasks.Sample(task, 800, seed: 2))
        {
            var v = s_verifier.Verify(problem, task.WriteSolution(problem, new SolutionNoise(stepError, 0.3), random));
            Assert.Equal(StepsOf(problem), v.Steps.Count);
            steps += v.Steps.Count;
            wrong += v.Steps.Count(s => !s.Correct);
        }
        output.WriteLine($"{generator} StepError {stepError}: measured {(double)wrong / steps:F4} over {steps} steps");
        // Binomial with >= 8,000 steps: the standard error is below 0.006.
        Assert.InRange((double)wrong / steps, stepError - 0.025, stepError + 0.025);
    }

    [Theory]
    [InlineData(ArithmeticOptions.ChainSum, 0.0)]
    [InlineData(ArithmeticOptions.ChainSum, 0.5)]
    [InlineData(ArithmeticOptions.ChainSum, 1.0)]
    [InlineData(ArithmeticOptions.DependencyGraph, 0.0)]
    [InlineData(ArithmeticOptions.DependencyGraph, 0.5)]
    [InlineData(ArithmeticOptions.DependencyGraph, 1.0)]
    public void SolutionsWithAWrongStepEndRightAtTheRequestedRate(string generator, double rightAnswerAfterError)
    {
        var task = TestTasks.Create(generator);
        var random = new Random(5);
        int slipped = 0, rightAnyway = 0;
        foreach (var problem in TestTasks.Sample(task, 600, seed: 4))
        {
            var v = s_verifier.Verify(problem, task.WriteSolution(problem, new SolutionNoise(0.15, rightAnswerAfterError), random));
            if (v.Steps.All(s => s.Correct)) continue;
            slipped++;
            if (v.AnswerCorrect) rightAnyway++;
        }
        // In the "continue" mode a slip can still end right: two slips cancel, or (graph) the answer does not
        // depend on the slipped value, as in c=b-a with b=a+3. That adds a few percent of the continued solutions.
        double rate = (double)rightAnyway / slipped;
        output.WriteLine($"{generator} RightAnswerAfterError {rightAnswerAfterError}: measured {rate:F4} over {slipped} solutions with a slip");
        Assert.InRange(rate, rightAnswerAfterError - 0.05, rightAnswerAfterError + (1 - rightAnswerAfterError) * 0.15);
        if (rightAnswerAfterError == 1.0) Assert.Equal(1.0, rate);
    }

    [Theory]
    [MemberData(nameof(TestTasks.GeneratorData), MemberType = typeof(TestTasks))]
    public void EveryStepIsWrongWhenStepErrorIsOne(string generator)
    {
        var task = TestTasks.Create(generator);
        var random = new Random(6);
        foreach (var problem in TestTasks.Sample(task, 50, seed: 6))
        {
            var v = s_verifier.Verify(problem, task.WriteSolution(problem, new SolutionNoise(1.0, 0.5), random));
            Assert.All(v.Steps, s => Assert.False(s.Correct));
        }
    }

    [Theory]
    [InlineData(-0.1, 0.0)]
    [InlineData(1.1, 0.0)]
    [InlineData(0.1, double.NaN)]
    public void NoiseOutsideZeroToOneThrows(double stepError, double rightAnswerAfterError)
    {
        var task = TestTasks.Create(ArithmeticOptions.ChainSum);
        var problem = task.Generate(3, new Random(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => task.WriteSolution(problem, new SolutionNoise(stepError, rightAnswerAfterError), new Random(1)));
    }

    [Theory]
    [MemberData(nameof(TestTasks.GeneratorData), MemberType = typeof(TestTasks))]
    public void SameSeedGivesSameProblemsAndSolutions(string generator)
    {
        var task = TestTasks.Create(generator);
        Problem[] Run(int seed)
        {
            var random = new Random(seed);
            return [.. TestTasks.Sample(task, 30, seed).Select(p => p with { Solution = task.WriteSolution(p, new SolutionNoise(0.3, 0.3), random) })];
        }

        Assert.Equal(Run(9), Run(9));
        Assert.NotEqual(Run(9).Select(p => p.Prompt), Run(10).Select(p => p.Prompt));
    }

    [Theory]
    [MemberData(nameof(TestTasks.GeneratorData), MemberType = typeof(TestTasks))]
    public void IdIsAStableHashOfThePrompt(string generator)
    {
        var problems = TestTasks.Sample(TestTasks.Create(generator, maxOperand: 3), 300, seed: 8).ToList();
        foreach (var group in problems.GroupBy(p => p.Prompt))
            Assert.Single(group.Select(p => p.Id).Distinct());
        Assert.Equal(problems.Select(p => p.Prompt).Distinct().Count(), problems.Select(p => p.Id).Distinct().Count());
        Assert.All(problems, p => Assert.Equal(ArithmeticText.StableId(p.Prompt), p.Id));
        if (generator == ArithmeticOptions.ChainSum)   // small operands repeat prompts, so the grouping above bites
            Assert.Contains(problems, p => problems.Count(q => q.Prompt == p.Prompt) > 1);
    }

    [Fact]
    public void IdDoesNotChangeBetweenRuns() =>
        Assert.Equal("0a717d9e1a4c75a7", ArithmeticText.StableId("47+1+20+24="));

    [Theory]
    [InlineData(ArithmeticOptions.ChainSum, 1)]
    [InlineData(ArithmeticOptions.ChainSum, 7)]
    [InlineData(ArithmeticOptions.DependencyGraph, 0)]
    [InlineData(ArithmeticOptions.DependencyGraph, 7)]
    public void DifficultyOutsideTheRangeThrows(string generator, int difficulty)
    {
        var task = TestTasks.Create(generator, minDifficulty: generator == ArithmeticOptions.ChainSum ? 2 : 1, maxDifficulty: 6);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => task.Generate(difficulty, new Random(1)));
        Assert.Contains($"Difficulty {difficulty} is outside", e.Message);
    }

    [Theory]
    [MemberData(nameof(TestTasks.GeneratorData), MemberType = typeof(TestTasks))]
    public void EveryCharacterIsInTheAlphabet(string generator)
    {
        var task = TestTasks.Widest(generator);
        var random = new Random(12);
        foreach (var problem in TestTasks.Sample(task, 100, seed: 12))
        {
            string noisy = task.WriteSolution(problem, new SolutionNoise(0.5, 0.5), random);
            foreach (char c in problem.Prompt + problem.Solution + noisy)
                Assert.True(task.Alphabet.Contains(c), $"'{c}' of {problem.Prompt}{noisy}");
        }
    }

    [Fact]
    public void GraphValuesStayWithinMaxOperandAndLiteralsWithinMaxConstant()
    {
        foreach (var problem in TestTasks.Sample(TestTasks.Widest(ArithmeticOptions.DependencyGraph), 100, seed: 13))
        {
            Assert.True(DependencyGraphGenerator.TryParsePrompt(problem.Prompt, out var graph));
            Assert.All(graph.Values.Values, value => Assert.InRange(value, 0, 50));
            Assert.All(graph.Definitions.Values.SelectMany(d => new[] { d.Left, d.Right }).Where(o => !o.IsVariable),
                literal => Assert.InRange(literal.Literal, 1, 9));
            Assert.Equal(problem.Difficulty, graph.Order.Count);   // every operation is needed
        }
    }

    [Fact]
    public void UnshuffledGraphListsDefinitionsInComputingOrder()
    {
        foreach (var problem in TestTasks.Sample(TestTasks.Create(ArithmeticOptions.DependencyGraph, shuffle: false), 20, seed: 14))
        {
            Assert.True(DependencyGraphGenerator.TryParsePrompt(problem.Prompt, out var graph));
            Assert.Equal(string.Join(',', graph.Order) + "," + graph.Query + "?", problem.Prompt);
        }
    }

    [Fact]
    public void WritingASolutionOfAForeignProblemThrows() =>
        Assert.Throws<ArgumentException>(() => TestTasks.Create(ArithmeticOptions.ChainSum)
            .WriteSolution(TestTasks.Hand("What is five?", "5"), SolutionNoise.None, new Random(1)));

    // Prompt + clean solution, in characters (BOS and EOS come on top), at each difficulty; the largest is a bound
    // checked over 5,000 samples and, for chain-sum, the worst case: every term MaxOperand.
    [Theory]
    [MemberData(nameof(TestTasks.GeneratorData), MemberType = typeof(TestTasks))]
    public void DefaultDifficultiesFitTheContext(string generator)
    {
        var task = TestTasks.Widest(generator);
        var random = new Random(15);
        for (int d = task.Difficulties.Min; d <= 12; d++)
        {
            var lengths = Enumerable.Range(0, 5000).Select(_ => task.Generate(d, random)).Select(p => p.Prompt.Length + p.Solution.Length).ToList();
            output.WriteLine($"{generator} d={d}: max {lengths.Max()}, mean {lengths.Average():F1}");
            if (generator == ArithmeticOptions.ChainSum && d <= 6) Assert.True(lengths.Max() <= 96);
        }
        if (generator == ArithmeticOptions.ChainSum)
        {
            var problem = new Problem("", string.Join('+', Enumerable.Repeat(50, 6)) + "=", "", "300", 6);
            int length = problem.Prompt.Length + task.WriteSolution(problem, SolutionNoise.None, random).Length;
            output.WriteLine($"chain-sum d=6 worst case: {length}");
            Assert.True(length <= 96);
        }
    }

    private static int StepsOf(Problem problem) => problem.Solution.Count(c => c == '\n');
}
