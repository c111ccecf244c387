using Rlvr.Host.Runs;
using Rlvr.Host.Tests.Support;

namespace Rlvr.Host.Tests.Runs;

/// <summary>
/// A study's process asks libgomp for a short spin before its idle threads sleep, unless the environment chooses how
/// they wait. libgomp reads its variables when it loads and lists what it read under OMP_DISPLAY_ENV=verbose; `rlvr
/// validate` builds a host and loads libtorch, so it shows what a study's process gets.
/// </summary>
public sealed class OpenMpThreadsTests
{
    [Fact]
    public void AStudysProcessSpinsBrieflyBeforeItsThreadsSleep()
    {
        if (!OperatingSystem.IsLinux()) return;

        var result = Validate(unset: OpenMpThreads.WaitSettings);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"GOMP_SPINCOUNT = '{OpenMpThreads.SpinCount}'", result.Error);
    }

    [Fact]
    public void TheEnvironmentsChoiceIsHonoured()
    {
        if (!OperatingSystem.IsLinux()) return;

        var spins = Validate(new Dictionary<string, string> { ["GOMP_SPINCOUNT"] = "20000" }, unset: ["OMP_WAIT_POLICY"]);
        var policy = Validate(new Dictionary<string, string> { ["OMP_WAIT_POLICY"] = "ACTIVE" }, unset: ["GOMP_SPINCOUNT"]);

        Assert.Contains("GOMP_SPINCOUNT = '20000'", spins.Error);
        Assert.Contains("OMP_WAIT_POLICY = 'ACTIVE'", policy.Error);
        Assert.DoesNotContain($"GOMP_SPINCOUNT = '{OpenMpThreads.SpinCount}'", policy.Error);
    }

    [Fact]
    public void ThisProcessAskedUnlessItsEnvironmentChose()   // the test settings choose PASSIVE (tests/tests.runsettings)
    {
        bool chosenOutside = OpenMpThreads.WaitSettings.Any(v => Environment.GetEnvironmentVariable(v) is not null);
        Assert.Equal(OperatingSystem.IsLinux() && !chosenOutside, OpenMpThreads.SpinBriefly());   // this assembly's module initializer asked first
    }

    private static ProcessRunner.Result Validate(IReadOnlyDictionary<string, string>? environment = null, IEnumerable<string>? unset = null) =>
        ProcessRunner.Dotnet([Repository.CliAssembly, "validate", Path.Combine("Samples", "FirstStudy", "study.json")], Repository.Root, TimeSpan.FromMinutes(1),
            new Dictionary<string, string>(environment ?? new Dictionary<string, string>()) { ["OMP_DISPLAY_ENV"] = "verbose" }, unset);
}
