// Verdicts on right, wrong and malformed completions of a problem whose answer is 1234.
using Rlvr.Tasks;

namespace Rlvr.Plugins.WordProblems.Tests;

public sealed class WordProblemsVerifierTests
{
    private static readonly Problem s_problem = new("id", "Question: ...\nAnswer:", "...\n#### 1,234", "1234", 1);
    private static readonly WordProblemsVerifier s_verifier = new();

    [Theory]
    [InlineData("600 + 634 = 1234\n#### 1234")]
    [InlineData("It costs $1,234.")]
    [InlineData("so the total is \\boxed{1234}")]
    [InlineData("1234.00")]
    [InlineData("#### 1234\nthen some rambling about 5 cats")]   // the marked answer wins over later numbers
    public void A_right_final_number_is_right(string completion)
    {
        var verdict = s_verifier.Verify(s_problem, completion);

        Assert.True(verdict.AnswerCorrect);
        Assert.Equal("1234", verdict.Answer);
        Assert.Empty(verdict.Steps);
    }

    [Theory]
    [InlineData("600 + 634 = 1234\n#### 1243", "1243")]
    [InlineData("1234 is what it is not; it is 1235", "1235")]
    [InlineData("-1234", "-1234")]
    public void A_wrong_final_number_is_wrong_and_reported(string completion, string answer)
    {
        var verdict = s_verifier.Verify(s_problem, completion);

        Assert.False(verdict.AnswerCorrect);
        Assert.Equal(answer, verdict.Answer);
    }

    [Theory]
    [InlineData("")]
    [InlineData("I don't know")]
    [InlineData("#### twelve hundred")]
    public void A_completion_without_a_number_is_wrong_with_no_answer(string completion) =>
        Assert.Equal(Verification.Wrong, s_verifier.Verify(s_problem, completion));

    [Fact]
    public void Fractions_and_decimals_are_equal_by_value()
    {
        var half = new Problem("h", "p", "#### 0.5", "1/2", 1);

        Assert.True(s_verifier.Verify(half, "\\boxed{\\frac{1}{2}}").AnswerCorrect);
        Assert.True(s_verifier.Verify(half, "#### 2/4").AnswerCorrect);
        Assert.False(s_verifier.Verify(half, "#### 0.51").AnswerCorrect);
    }
}
