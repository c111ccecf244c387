using Rlvr.Host.Tests.Support;

namespace Rlvr.Host.Tests.Index;

/// <summary><c>rlvr runs</c> and <c>rlvr compare</c>, the real command run as a child process over hand-written run folders.</summary>
public sealed class IndexCliTests : IDisposable
{
    private readonly FakeRuns _runs = FakeRuns.Study();

    public void Dispose() => _runs.Dispose();

    private ProcessRunner.Result Rlvr(params string[] arguments) =>
        ProcessRunner.Dotnet([Repository.CliAssembly, .. arguments, "--runs", _runs.Root], Repository.Root, TimeSpan.FromMinutes(1));

    [Fact]
    public void RunsListsEveryRunAndWarnsOfABrokenFile()
    {
        string broken = _runs.Write("s", "grpo", 2, "evaluation.json", "{ not json");

        var result = Rlvr("runs");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"study\s+arm\s+seed\s+status\s+stage\s+updated \(UTC\)\s+pass@1\s+coverage", result.Output);
        Assert.Matches(@"s\s+base\s+1\s+finished\s+-\s+\S+ \S+\s+0\.250\s+0\.900", result.Output);
        Assert.Matches(@"s\s+grpo\s+4\s+running\s+train\s+2026-11-26 09:30\s+-\s+-", result.Output);
        Assert.Contains("s/sft/seed-1 failed: out of memory", result.Output);
        Assert.Contains("7 run(s).", result.Output);
        Assert.Contains($"warning: {broken}: not valid JSON", result.Error);
    }

    [Fact]
    public void RunsFilters()
    {
        var result = Rlvr("runs", "--study", "s", "--status", "finished", "--arm", "grpo");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("3 run(s).", result.Output);
        Assert.DoesNotContain("base", result.Output);
    }

    [Fact]
    public void CompareShowsEachArmOverItsSeeds()
    {
        var result = Rlvr("compare", "s", "--k", "1,8,64");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"arm\s+seeds\s+pass@1\s+pass@8\s+pass@64\s+coverage", result.Output);
        Assert.Matches(@"base\s+1\s+0\.250 \[0\.200, 0\.300\]\s+0\.700 \[0\.600, 0\.800\]\s+-\s+0\.900", result.Output);
        Assert.Matches(@"grpo\s+3\s+0\.300 \(0\.100\.\.0\.600\)\s+0\.600 \(0\.500\.\.0\.700\)\s+-\s+0\.900 \(0\.800\.\.1\.000\)", result.Output);
        // Base seed 1 only: grpo seed 1 minus it, pass@1 0.1 − 0.25, a mean without an interval.
        Assert.Matches(@"grpo\s+pass@1\s+1\s+-0\.150\s+-\s+", result.Output);
        Assert.Contains("not counted: grpo seed 4, running in train", result.Output);
        Assert.Contains("not counted: sft seed 1, failed in train: out of memory", result.Output);
    }

    [Theory]
    [InlineData("nope", "1", "<study> = 'nope': no runs of it")]
    [InlineData("s", "1,x", "--k = '1,x': must be positive whole numbers")]
    public void CompareRefusesAnUnknownStudyOrBadKs(string study, string ks, string expected)
    {
        var result = Rlvr("compare", study, "--k", ks);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(expected, result.Error);
    }
}
