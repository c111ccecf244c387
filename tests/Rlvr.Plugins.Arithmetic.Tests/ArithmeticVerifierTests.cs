// The verifier on hand-written completions: spans are counted by hand, each line including its '\n'.
using Rlvr.Plugins.Arithmetic.Tests.Support;
using Rlvr.Tasks;

namespace Rlvr.Plugins.Arithmetic.Tests;

public class ArithmeticVerifierTests
{
    private static readonly ArithmeticVerifier s_verifier = new();
    private static readonly Problem s_chain = TestTasks.Hand("47+1+20+24=", "92", 4);
    private static readonly Problem s_graph = TestTasks.Hand("b=a*3,a=5+2,c=b-a,c?", "14", 3);   // a=7, b=21, c=14
    private static readonly (int Start, int Length)[] s_chainSpans = [(0, 10), (10, 11), (21, 11)];
    private static readonly (int Start, int Length)[] s_graphSpans = [(0, 8), (8, 9), (17, 10)];

    private static void AssertSteps(Verification verification, (int Start, int Length)[] spans, params double[] scores)
    {
        Assert.Equal(spans.Length, verification.Steps.Count);
        for (int i = 0; i < spans.Length; i++)
            Assert.Equal(new StepVerdict(spans[i].Start, spans[i].Length, scores[i]), verification.Steps[i]);
    }

    [Fact]
    public void RightChainSumVerifiesEveryStep()
    {
        var v = s_verifier.Verify(s_chain, "1:47+1=48\n2:48+20=68\n3:68+24=92\n#92");
        Assert.True(v.AnswerCorrect);
        Assert.True(v.AllStepsCorrect);
        AssertSteps(v, s_chainSpans, 1, 1, 1);
    }

    [Fact]
    public void ChainSumSlipIsTheOnlyWrongStepWhenLaterStepsContinueFromIt()
    {
        var v = s_verifier.Verify(s_chain, "1:47+1=48\n2:48+20=66\n3:66+24=90\n#90");
        Assert.False(v.AnswerCorrect);
        AssertSteps(v, s_chainSpans, 1, 0, 1);
    }

    [Fact]
    public void ChainSumWrongAnswerAfterRightStepsIsWrong()
    {
        var v = s_verifier.Verify(s_chain, "1:47+1=48\n2:48+20=68\n3:68+24=92\n#93");
        Assert.False(v.AnswerCorrect);
        Assert.False(v.AllStepsCorrect);
        AssertSteps(v, s_chainSpans, 1, 1, 1);
    }

    [Fact]
    public void ChainSumRightAnswerThroughWrongStepIsRightButNotStrictlyRight()
    {
        var v = s_verifier.Verify(s_chain, "1:47+1=48\n2:48+20=66\n3:68+24=92\n#92");
        Assert.True(v.AnswerCorrect);
        Assert.False(v.AllStepsCorrect);
        AssertSteps(v, s_chainSpans, 1, 0, 1);
    }

    [Theory]
    [InlineData("1:47+1=48\n2:48+21=69\n3:69+24=93\n#93", 1, 0, 1)]   // wrong term; the next line continues from it
    [InlineData("1:47+1=48\n3:48+20=68\n3:68+24=92\n#92", 1, 0, 1)]   // wrong step number
    [InlineData("1:47+2=49\n2:49+20=69\n3:69+24=93\n#93", 0, 1, 1)]   // wrong first term
    [InlineData("1:47+1=48\n2:50+20=70\n3:70+24=94\n#94", 1, 0, 1)]   // carried neither the written nor the true sum
    [InlineData("1:47+1=48\n2:48+20=68\n3:68+24=92\n4:92+0=92\n#92", 1, 1, 1, 0)]   // a step past the last term
    public void ChainSumStepWithWrongInputsIsWrong(string completion, params int[] scores)
    {
        var v = s_verifier.Verify(s_chain, completion);
        Assert.Equal(scores.Select(s => (double)s), v.Steps.Select(s => s.Score));
    }

    [Fact]
    public void MissingAnswerLineScoresStepsAndAWrongAnswer()
    {
        var v = s_verifier.Verify(s_chain, "1:47+1=48\n2:48+20=68");
        Assert.False(v.AnswerCorrect);
        AssertSteps(v, [(0, 10), (10, 10)], 1, 1);
    }

    [Fact]
    public void TextAfterTheFirstAnswerLineIsIgnored()
    {
        var v = s_verifier.Verify(s_chain, "1:47+1=48\n2:48+20=68\n3:68+24=92\n#92\n#5\ngarbage");
        Assert.True(v.AnswerCorrect);
        AssertSteps(v, s_chainSpans, 1, 1, 1);
    }

    [Theory]
    [InlineData("#092")]
    [InlineData("# 92")]
    [InlineData("#92 ")]
    [InlineData("#")]
    [InlineData("92")]
    public void AnswerMustMatchExactly(string completion) =>
        Assert.False(s_verifier.Verify(s_chain, completion).AnswerCorrect);

    [Fact]
    public void EmptyCompletionIsWrong()
    {
        Assert.Same(Verification.Wrong, s_verifier.Verify(s_chain, ""));
        Assert.Same(Verification.Wrong, s_verifier.Verify(s_chain, null!));
    }

    [Theory]
    [InlineData("hello", 5)]
    [InlineData("1:47+1=48=", 10)]
    [InlineData("1:47+99999999999999999999=5", 27)]
    [InlineData("\n", 1)]
    public void GarbageIsOneWrongStepSpanningIt(string completion, int length)
    {
        var v = s_verifier.Verify(s_chain, completion);
        Assert.False(v.AnswerCorrect);
        AssertSteps(v, [(0, length)], 0);
    }

    [Fact]
    public void HugeNumbersAreWrongNotThrown()
    {
        var v = s_verifier.Verify(s_chain, "1:99999999999999999999+1=100000000000000000000\n#" + new string('9', 5000));
        Assert.False(v.AnswerCorrect);
        AssertSteps(v, [(0, 47)], 0);
    }

    [Fact]
    public void RightGraphSolutionVerifiesEveryStep()
    {
        var v = s_verifier.Verify(s_graph, "a=5+2=7\nb=7*3=21\nc=21-7=14\n#14");
        Assert.True(v.AllStepsCorrect);
        AssertSteps(v, s_graphSpans, 1, 1, 1);
    }

    [Fact]
    public void GraphSlipIsTheOnlyWrongStepWhenLaterStepsContinueFromIt()
    {
        var v = s_verifier.Verify(s_graph, "a=5+2=8\nb=8*3=24\nc=24-8=16\n#16");
        Assert.False(v.AnswerCorrect);
        AssertSteps(v, s_graphSpans, 0, 1, 1);
    }

    [Fact]
    public void GraphRightAnswerThroughWrongStepIsRightButNotStrictlyRight()
    {
        var v = s_verifier.Verify(s_graph, "a=5+2=8\nb=7*3=21\nc=21-7=14\n#14");
        Assert.True(v.AnswerCorrect);
        Assert.False(v.AllStepsCorrect);
        AssertSteps(v, s_graphSpans, 0, 1, 1);
    }

    [Fact]
    public void GraphWrongAnswerAfterRightStepsIsWrong()
    {
        var v = s_verifier.Verify(s_graph, "a=5+2=7\nb=7*3=21\nc=21-7=14\n#15");
        Assert.False(v.AnswerCorrect);
        AssertSteps(v, s_graphSpans, 1, 1, 1);
    }

    [Theory]
    [InlineData("a=5+2=7\nb=7*4=28\nc=28-7=21\n#21", 1, 0, 1)]   // wrong literal; the next line continues from it
    [InlineData("a=5+2=7\nb=7+3=10\nc=10-7=3\n#3", 1, 0, 1)]     // wrong operator
    [InlineData("a=5+2=7\nb=7*3=21\nc=7-21=-14\n#-14", 1, 1, 0)] // operands out of order
    [InlineData("a=5+2=7\nb=8*3=24\nc=24-7=17\n#17", 1, 0, 1)]   // an input neither written nor true
    [InlineData("a=5+2=7\nz=1+1=2\nc=21-7=14\n#14", 1, 0, 1)]    // an undefined variable
    [InlineData("b=7*3=21\na=5+2=7\nc=21-7=14\n#14", 1, 1, 1)]   // any order that uses right values
    public void GraphStepWithWrongInputsIsWrong(string completion, params int[] scores)
    {
        var v = s_verifier.Verify(s_graph, completion);
        Assert.Equal(scores.Select(s => (double)s), v.Steps.Select(s => s.Score));
    }

    [Fact]
    public void GraphReadsNegativeValuesThatContinuedSlipsProduce()
    {
        var problem = TestTasks.Hand("b=a-3,a=5-2,b?", "0", 2);   // a=3, b=0
        var v = s_verifier.Verify(problem, "a=5-2=1\nb=1-3=-2\n#-2");
        Assert.False(v.AnswerCorrect);
        AssertSteps(v, [(0, 8), (8, 9)], 0, 1);
    }

    [Fact]
    public void ForeignProblemGetsItsAnswerCheckedAndNoRightSteps()
    {
        var v = s_verifier.Verify(TestTasks.Hand("What is five?", "5"), "five\n#5");
        Assert.True(v.AnswerCorrect);
        AssertSteps(v, [(0, 5)], 0);
    }

    [Fact]
    public void RandomTextNeverThrowsAndItsStepsTileTheCompletion()
    {
        var random = new Random(7);
        const string characters = "\n\n\n#*+,-=?:0123456789abcxyz \t\r\u00e9";
        foreach (var problem in new[] { s_chain, s_graph })
            for (int i = 0; i < 3000; i++)
            {
                var chars = new char[random.Next(0, 120)];
                for (int j = 0; j < chars.Length; j++) chars[j] = characters[random.Next(characters.Length)];
                string completion = new(chars);

                var v = s_verifier.Verify(problem, completion);

                int end = 0;
                foreach (var step in v.Steps)
                {
                    Assert.Equal(end, step.Start);
                    Assert.True(step.Length >= 1);
                    end = step.End;
                }
                Assert.True(end == completion.Length || completion[end] == '#');
            }
    }
}
