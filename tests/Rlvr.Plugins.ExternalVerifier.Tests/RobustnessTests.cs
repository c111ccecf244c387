// Programs that hang, die, answer late or answer garbage: each such sample scores as malformed output, the program
// is restarted, and the next sample scores right. Support/program.sh answers with its process id, so a test sees
// whether the same program answered. Each failure is also logged with its reason.
using System.Diagnostics;
using Rlvr.Plugins.ExternalVerifier.Tests.Support;
using Rlvr.Tasks;

namespace Rlvr.Plugins.ExternalVerifier.Tests;

public sealed class RobustnessTests
{
    private static readonly Problem s_problem = new("p", "1+2=", "1:1+2=3\n#3", "3", 2);
    private readonly List<string> _log = [];

    // A right verdict from the script: its process id as the answer, one right step.
    private static int AssertAnswered(Verification verification)
    {
        Assert.True(verification.AnswerCorrect);
        Assert.Equal([new StepVerdict(0, 1, 1.0)], verification.Steps);
        return int.Parse(verification.Answer!);
    }

    private static void AssertMalformed(Verification verification)
    {
        Assert.False(verification.AnswerCorrect);
        Assert.Empty(verification.Steps);
        Assert.Null(verification.Answer);
    }

    [Fact]
    public void OneProgramAnswersEverySample()
    {
        using var verifier = Programs.Script(_log);
        int[] pids = [.. Enumerable.Range(0, 5).Select(_ => AssertAnswered(verifier.Verify(s_problem, "ok")))];
        Assert.Single(pids.Distinct());
        Assert.Empty(_log);
    }

    [Fact]
    public void AHungProgramTimesOutScoresMalformedAndIsRestarted()
    {
        // Timeouts with room for a busy machine, where starting bash alone can take a few hundred milliseconds.
        using var verifier = Programs.Script(_log, timeoutMs: 2000);
        int first = AssertAnswered(verifier.Verify(s_problem, "ok"));
        var clock = Stopwatch.StartNew();
        AssertMalformed(verifier.Verify(s_problem, "hang"));
        Assert.InRange(clock.Elapsed.TotalSeconds, 2, 60);
        Assert.True(Programs.Ends(first));                            // killed, not left hanging

        int second = AssertAnswered(verifier.Verify(s_problem, "ok"));
        Assert.NotEqual(first, second);
        Assert.Contains(_log, line => line.StartsWith("Warning: ") && line.Contains("did not reply within 2000 ms on problem p"));
    }

    [Fact]
    public void ALateReplyIsNeverTakenForALaterSample()
    {
        using var verifier = Programs.Script(_log, timeoutMs: 2000);
        AssertMalformed(verifier.Verify(s_problem, "late"));                // the program answers after 4 s
        Thread.Sleep(2500);
        int pid = AssertAnswered(verifier.Verify(s_problem, "ok"));          // not "late"
        Assert.Equal(pid, AssertAnswered(verifier.Verify(s_problem, "ok")));
    }

    [Fact]
    public void AProgramThatDiesScoresMalformedAndIsRestarted()
    {
        using var verifier = Programs.Script(_log);
        int first = AssertAnswered(verifier.Verify(s_problem, "ok"));
        AssertMalformed(verifier.Verify(s_problem, "die"));
        Assert.NotEqual(first, AssertAnswered(verifier.Verify(s_problem, "ok")));
        Assert.Contains(_log, line => line.Contains("exited with code 3 on problem p"));
    }

    [Theory]
    [InlineData("garbage", "replied 'not json': not JSON")]
    [InlineData("other-id", "is 3, not the request's 2")]
    public void AMalformedReplyScoresMalformedAndRestartsTheProgram(string completion, string logged)
    {
        using var verifier = Programs.Script(_log);
        int first = AssertAnswered(verifier.Verify(s_problem, "ok"));       // request 1
        AssertMalformed(verifier.Verify(s_problem, completion));            // request 2
        Assert.NotEqual(first, AssertAnswered(verifier.Verify(s_problem, "ok")));
        Assert.Contains(_log, line => line.Contains(logged));
    }

    [Fact]
    public void DisposingStopsTheProgramAndEveryProcessItStarted()
    {
        var verifier = Programs.Script(_log, arguments: "--linger");        // ignores the end of its input
        int child = int.Parse(verifier.Verify(s_problem, "child").Answer!);
        int program = AssertAnswered(verifier.Verify(s_problem, "ok"));
        Assert.True(Programs.IsRunning(child) && Programs.IsRunning(program));

        var clock = Stopwatch.StartNew();
        verifier.Dispose();
        Assert.InRange(clock.Elapsed.TotalSeconds, 0, 5);
        Assert.True(Programs.Ends(program));
        Assert.True(Programs.Ends(child));
        Assert.Throws<ObjectDisposedException>(() => verifier.Verify(s_problem, "ok"));
    }
}
