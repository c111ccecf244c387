// The protocol's lines, worked out by hand: what a request says, and which replies are verdicts and which malformed.
using Rlvr.Plugins.ExternalVerifier;
using Rlvr.Tasks;

namespace Rlvr.Plugins.ExternalVerifier.Tests;

public sealed class ProtocolTests
{
    private static readonly Problem s_problem = new("p1", "1+2=", "1:1+2=3\n#3", "3", 2);

    [Fact]
    public void ARequestIsOneLineWithTheIdTheProblemAndTheCompletion()
    {
        string line = VerifierProtocol.Request(7, s_problem, "1:1+2=3\n#3");
        Assert.Equal("""{"id":7,"problem":{"id":"p1","prompt":"1+2=","solution":"1:1+2=3\n#3","answer":"3","difficulty":2},"completion":"1:1+2=3\n#3"}""", line);
    }

    [Fact]
    public void AReplyBecomesTheVerification()
    {
        const string reply = """{"id":7,"answerCorrect":false,"answer":"4","steps":[{"start":0,"length":8,"score":0},{"start":8,"length":3,"score":1.0}],"note":"extra keys are ignored"}""";
        Assert.True(VerifierProtocol.TryParse(reply, 7, "1:1+2=4\n1:x#4", out var verification, out string error), error);
        Assert.False(verification.AnswerCorrect);
        Assert.Equal("4", verification.Answer);
        Assert.Equal([new StepVerdict(0, 8, 0.0), new StepVerdict(8, 3, 1.0)], verification.Steps);
    }

    [Fact]
    public void AMissingOrNullAnswerIsNoAnswer()
    {
        Assert.True(VerifierProtocol.TryParse("""{"id":1,"answerCorrect":false,"steps":[]}""", 1, "x", out var missing, out _));
        Assert.True(VerifierProtocol.TryParse("""{"id":1,"answerCorrect":false,"answer":null,"steps":[]}""", 1, "x", out var none, out _));
        Assert.Null(missing.Answer);
        Assert.Null(none.Answer);
    }

    [Fact]
    public void OffsetsCountCodePointsAndBecomeUtf16Indices()
    {
        // "😀" is one code point and two UTF-16 chars: code points [0, 2) are "😀\n", chars [0, 3).
        const string completion = "😀\n1:1+2=3\n#3";
        const string reply = """{"id":1,"answerCorrect":true,"answer":"3","steps":[{"start":0,"length":2,"score":0},{"start":2,"length":8,"score":1}]}""";
        Assert.True(VerifierProtocol.TryParse(reply, 1, completion, out var verification, out string error), error);
        Assert.Equal([new StepVerdict(0, 3, 0.0), new StepVerdict(3, 8, 1.0)], verification.Steps);
        Assert.Equal("1:1+2=3\n", completion[3..11]);
    }

    [Theory]
    [InlineData("not json", "not JSON")]
    [InlineData("[1]", "not a JSON object")]
    [InlineData("""{"answerCorrect":true,"steps":[]}""", "no integer \"id\"")]
    [InlineData("""{"id":"7","answerCorrect":true,"steps":[]}""", "no integer \"id\"")]
    [InlineData("""{"id":6,"answerCorrect":true,"steps":[]}""", "\"id\" is 6, not the request's 7")]
    [InlineData("""{"id":7,"answerCorrect":1,"steps":[]}""", "no boolean \"answerCorrect\"")]
    [InlineData("""{"id":7,"answerCorrect":true,"answer":3,"steps":[]}""", "\"answer\" is neither a string nor null")]
    [InlineData("""{"id":7,"answerCorrect":true}""", "no \"steps\" array")]
    [InlineData("""{"id":7,"answerCorrect":true,"steps":[{"start":0,"length":2}]}""", "step 0 is not")]
    [InlineData("""{"id":7,"answerCorrect":true,"steps":[{"start":0.5,"length":2,"score":1}]}""", "step 0 is not")]
    [InlineData("""{"id":7,"answerCorrect":true,"steps":[{"start":0,"length":0,"score":1}]}""", "step 0 spans [0, 0)")]
    [InlineData("""{"id":7,"answerCorrect":true,"steps":[{"start":-1,"length":2,"score":1}]}""", "step 0 spans [-1, 1)")]
    [InlineData("""{"id":7,"answerCorrect":true,"steps":[{"start":0,"length":3,"score":1},{"start":2,"length":1,"score":1}]}""", "step 1 spans [2, 3)")]
    [InlineData("""{"id":7,"answerCorrect":true,"steps":[{"start":4,"length":2,"score":1}]}""", "step 0 spans [4, 6), which is empty, overlaps the step before or leaves the completion's 5 characters")]
    [InlineData("""{"id":7,"answerCorrect":true,"steps":[{"start":0,"length":2,"score":1.5}]}""", "step 0 scores 1.5, outside [0, 1]")]
    [InlineData("""{"id":7,"answerCorrect":true,"steps":[{"start":0,"length":2,"score":-0.1}]}""", "step 0 scores -0.1, outside [0, 1]")]
    public void AnythingElseIsMalformedAndSaysWhy(string reply, string why)
    {
        Assert.False(VerifierProtocol.TryParse(reply, 7, "1+2=3", out var verification, out string error));
        Assert.Contains(why, error);
        Assert.Same(Verification.Wrong, verification);
    }
}
