using Rlvr.Plugins.Arithmetic;
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
