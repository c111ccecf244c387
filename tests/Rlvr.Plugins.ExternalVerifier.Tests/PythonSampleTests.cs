// The Python sample (Samples/ExternalVerifier/verifier.py) through the protocol: it must decide exactly what the C#
// arithmetic verifier decides for chain sums, on clean and noisy worked solutions, cut-off ones and garbage.
using Microsoft.Extensions.DependencyInjection;
using Rlvr.Plugins.ExternalVerifier.Tests.Support;
using Rlvr.Tasks;
using Rlvr.Testing;

namespace Rlvr.Plugins.ExternalVerifier.Tests;

public sealed class PythonSampleTests : IDisposable
{
    private readonly ServiceProvider _python = Programs.Python();
    private readonly ServiceProvider _arithmetic = PluginServices.Build(new ArithmeticPlugin(),
        ("Tasks:Arithmetic:MinDifficulty", "2"), ("Tasks:Arithmetic:MaxDifficulty", "6"), ("Tasks:Arithmetic:MaxOperand", "50"));

    private IVerifier External => _python.GetRequiredKeyedService<IVerifier>("external");
    private IVerifier Arithmetic => _arithmetic.GetRequiredKeyedService<IVerifier>("arithmetic");
    private IProblemGenerator Task => _arithmetic.GetRequiredKeyedService<IProblemGenerator>("arithmetic");

    public void Dispose()
    {
        _python.Dispose();
        _arithmetic.Dispose();
    }

    [Fact]
    public void AHandWorkedSlipIsTheOnlyWrongStep()
    {
        var problem = new Problem("p", "47+1+20+24=", "", "92", 4);
        var v = External.Verify(problem, "1:47+1=48\n2:48+20=66\n3:66+24=90\n#90");
        Assert.False(v.AnswerCorrect);
        Assert.Equal("90", v.Answer);
        Assert.Equal([new StepVerdict(0, 10, 1), new StepVerdict(10, 11, 0), new StepVerdict(21, 11, 1)], v.Steps);
    }

    [Fact]
    public void AgreesWithTheArithmeticVerifierOnNoisySolutionsCutOffSolutionsAndGarbage()
    {
        var random = new Random(5);
        var noise = new SolutionNoise(StepError: 0.3, RightAnswerAfterError: 0.5);
        var cases = new List<(Problem, string)>();
        for (int i = 0; i < 120; i++)
        {
            var problem = Task.Generate(random.Next(2, 7), random);
            string noisy = Task.WriteSolution(problem, noise, random);
            cases.Add((problem, problem.Solution));
            cases.Add((problem, noisy));
            cases.Add((problem, noisy[..random.Next(noisy.Length + 1)]));
        }
        var sum = Task.Generate(3, random);
        string[] garbage =
        [
            "", "\n", "#", "#\n", "\n\n#", "garbage", "1:1+1=2", "#" + sum.Answer + "\ntrailing", "1:+=\n#", "0:1+1=2\n#2",
            "1:1234567890+1=1234567891\n#1", "1:" + new string('9', 9) + "+1=1000000000\n#x", "１:1+1=2\n#２", "😀\n#" + sum.Answer,
            "1:1+1=2\r\n#2\r", "#" + sum.Answer + "#", " #" + sum.Answer, new string('\n', 40) + "#" + sum.Answer,
        ];
        cases.AddRange(garbage.Select(g => (sum, g)));
        cases.Add((new Problem("q", "not a chain sum", "", "7", 2), "1:3+4=7\n#7"));   // answer checked, steps 0

        foreach (var (problem, completion) in cases)
            Programs.AssertSame(Arithmetic.Verify(problem, completion), External.Verify(problem, completion), $"'{problem.Prompt}' / '{completion}'");

        // The cases reach every kind of verdict, so agreement is no accident of all-wrong or all-right.
        var verdicts = cases.Select(c => Arithmetic.Verify(c.Item1, c.Item2)).ToList();
        Assert.Contains(verdicts, v => v.AllStepsCorrect);
        Assert.Contains(verdicts, v => v.AnswerCorrect && !v.AllStepsCorrect);
        Assert.Contains(verdicts, v => !v.AnswerCorrect && v.Answer is not null);
        Assert.Contains(verdicts, v => v.Answer is null);
    }

    [Fact]
    public void SamplesFromSeveralThreadsEachGetTheirOwnVerdict()
    {
        var random = new Random(9);
        var cases = Enumerable.Range(0, 64).Select(_ =>
        {
            var problem = Task.Generate(4, random);
            return (problem, Task.WriteSolution(problem, new SolutionNoise(0.5, 0), random));
        }).ToList();
        var external = new Verification[cases.Count];
        Parallel.For(0, cases.Count, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => external[i] = External.Verify(cases[i].problem, cases[i].Item2));
        for (int i = 0; i < cases.Count; i++)
            Programs.AssertSame(Arithmetic.Verify(cases[i].problem, cases[i].Item2), external[i], $"sample {i}");
    }
}
