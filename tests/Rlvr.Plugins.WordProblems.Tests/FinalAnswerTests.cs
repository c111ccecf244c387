// Final answers found and normalised, each case worked by hand.
namespace Rlvr.Plugins.WordProblems.Tests;

public sealed class FinalAnswerTests
{
    [Theory]
    [InlineData("72", "72")]
    [InlineData("1,234", "1234")]                      // thousands commas
    [InlineData("So she paid $18.", "18")]             // dollar sign, sentence's period
    [InlineData("It fell to -5 degrees", "-5")]
    [InlineData("0.5", "1/2")]                          // decimals and fractions equal by value
    [InlineData("2/4", "1/2")]
    [InlineData("12.50", "25/2")]
    [InlineData("3.0", "3")]
    [InlineData("\\frac{3}{4}", "3/4")]
    [InlineData("-\\dfrac{1}{2}", "-1/2")]
    [InlineData("1,000,000 grains", "1000000")]
    [InlineData("first 3, then 4, so 7", "7")]           // the last number
    [InlineData("50%", "50")]
    public void The_last_number_in_normal_form(string text, string expected) =>
        Assert.Equal(expected, FinalAnswer.LastNumber(text));

    [Theory]
    [InlineData("no number here")]
    [InlineData("")]
    [InlineData("5/0")]                                 // no value
    [InlineData("12345678901234567890123456789012345678901")]   // longer than any answer: unreadable, not a huge number
    public void Text_without_a_readable_number_has_none(string text) =>
        Assert.Null(FinalAnswer.LastNumber(text));

    [Theory]
    [InlineData("She has 3.\n#### 3", " 3")]
    [InlineData("#### 1\nchange of mind\n#### 2\nmore words", " 2")]     // the last mark, to the end of its line
    [InlineData("so \\boxed{\\frac{1}{2}} it is", "\\frac{1}{2}")]   // braces balanced
    [InlineData("\\boxed{1} then \\boxed{2}", "2")]
    public void The_answer_is_after_the_last_mark_or_in_the_last_box(string text, string region) =>
        Assert.Equal(region, FinalAnswer.Region(text));

    [Theory]
    [InlineData("The answer is 4")]
    [InlineData("\\boxed{4")]                            // never closed
    public void Text_that_marks_no_answer_has_no_region(string text) =>
        Assert.Null(FinalAnswer.Region(text));
}
