using Rlvr.Plugins.Arithmetic;
using Rlvr.Plugins.Arithmetic.Tests.Support;
using Rlvr.Tasks;
using Rlvr.Tools;

namespace Rlvr.Plugins.Arithmetic.Tests;

/// <summary>The calculator answers the open call a text ends with, and only that.</summary>
public sealed class CalculatorToolTests
{
    private static readonly CalculatorTool Calculator = new();

    [Theory]
    [InlineData("1:<47+1=", "48>")]
    [InlineData("<3*4+2=", "14>")]                        // '*' binds tighter
    [InlineData("<2+3*4=", "14>")]
    [InlineData("<2-5=", "-3>")]
    [InlineData("<10-2-3=", "5>")]                        // left to right
    [InlineData("1:<3+4=7>\n2:<7+5=", "12>")]             // the last call is the open one
    [InlineData("<007+1=", "8>")]
    public void AnOpenCallIsAnsweredWithItsValueAndTheClosingMark(string text, string output) =>
        Assert.Equal(ToolReply.Of(output), Calculator.Reply(text));

    [Theory]
    [InlineData("47+1=")]                                  // no call: the model wrote '=' on its own
    [InlineData("1:<3+4=7>\n2:7+5=")]                      // the last call is closed
    [InlineData("<3+4")]                                   // not at the call's end
    public void TextThatDoesNotEndWithAnOpenCallIsNoCall(string text) => Assert.Null(Calculator.Reply(text));

    [Theory]
    [InlineData("<4+=")]
    [InlineData("<=")]
    [InlineData("<a+1=")]
    [InlineData("<1+2=3=")]
    [InlineData("<9999999999+1=")]                         // more than 9 digits
    [InlineData("<999999999*999999999*999999999=")]        // overflows
    public void AMalformedCallIsAnErrorNotAnAnswer(string text)
    {
        var reply = Calculator.Reply(text);
        Assert.NotNull(reply);
        Assert.Null(reply.Output);
        Assert.Contains("not whole numbers", reply.Error);
    }
}

/// <summary>Worked solutions that call the calculator: every step a call whose output the calculator itself would write.</summary>
public sealed class ToolCallSolutionsTests
{
    private static readonly ArithmeticVerifier Verifier = new();

    [Fact]
    public void AChainSumSolutionCallsTheCalculatorForEveryStep()
    {
        var task = TestTasks.Create(ArithmeticOptions.ChainSum, toolCalls: true);
        var problem = TestTasks.Hand("47+1+20=", "68");

        Assert.Equal("1:<47+1=48>\n2:<48+20=68>\n#68", task.WriteSolution(problem, new SolutionNoise(0.5, 0), new Random(1)));   // noise has no effect
        Assert.EndsWith("<>", task.Alphabet);
    }

    [Theory]
    [MemberData(nameof(TestTasks.GeneratorData), MemberType = typeof(TestTasks))]
    public void EveryCallInASolutionIsAnsweredWithWhatTheSolutionWritesAndTheStepsVerify(string generator)
    {
        var task = TestTasks.Create(generator, toolCalls: true);
        var calculator = new CalculatorTool();
        foreach (var problem in TestTasks.Sample(task, 20, seed: 4))
        {
            string solution = problem.Solution;
            Assert.Equal(solution, task.WriteSolution(problem, SolutionNoise.None, new Random(2)));
            Assert.All(solution, c => Assert.Contains(c, task.Alphabet));
            int calls = 0;
            for (int end = solution.IndexOf('='); end >= 0; end = solution.IndexOf('=', end + 1))
            {
                if (calculator.Reply(solution[..(end + 1)]) is not { } reply) continue;
                Assert.StartsWith(reply.Output!, solution[(end + 1)..]);
                calls++;
            }
            var verification = Verifier.Verify(problem, solution);
            Assert.Equal(verification.Steps.Count, calls);
            Assert.True(verification.AllStepsCorrect, solution);
        }
    }

    [Fact]
    public void TheVerifierReadsPastTheMarksAndStillFindsAWrongStep()
    {
        var problem = TestTasks.Hand("47+1+20=", "68");
        var v = Verifier.Verify(problem, "1:<47+1=49>\n2:<49+20=69>\n#68");
        Assert.Equal([0.0, 1.0], v.Steps.Select(s => s.Score));     // the slip, then an honest continuation
        Assert.True(v.AnswerCorrect);
    }
}
