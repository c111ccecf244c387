// Registration and options through a real service collection and configuration, as the host does it: a Command
// that names no program fails validation with the key and the path looked at; no Command fails the verifier's start.
using System.Runtime.Versioning;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Rlvr.Plugins.ExternalVerifier.Tests.Support;
using Rlvr.Tasks;
using Rlvr.Testing;

namespace Rlvr.Plugins.ExternalVerifier.Tests;

public sealed class RegistrationTests
{
    private static Exception ValidateOnStart(params (string Key, string Value)[] settings) => PluginServices.ValidateOnStart(new ExternalVerifierPlugin(), settings);

    [Fact]
    public void RegistersTheVerifierWithItsSection()
    {
        using var provider = Programs.Build();
        Assert.Contains(provider.GetServices<ComponentDescriptor>(), d => d is { Kind: ComponentKind.Verifier, Name: "external", ConfigSection: "Verifiers:External" }
            && d.OptionsType == typeof(ExternalVerifierOptions));
    }

    [Fact]
    public void NoCommandValidatesUntilTheVerifierIsUsedThenNamesTheKey()
    {
        using var provider = Programs.Build();
        provider.GetRequiredService<IStartupValidator>().Validate();             // a study that does not select it is valid
        var e = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredKeyedService<IVerifier>("external"));
        Assert.StartsWith("Verifiers:External:Command is not set", e.Message);
    }

    [Fact]
    public void AProgramOnPathAndTheDefaultsValidate()
    {
        using var provider = Programs.Build(("Verifiers:External:Command", "bash"));
        provider.GetRequiredService<IStartupValidator>().Validate();
        Assert.Equal(10_000, provider.GetRequiredService<IOptions<ExternalVerifierOptions>>().Value.TimeoutMs);
    }

    [Fact]
    public void AMissingFileNamesTheKeyAndTheFullPath()
    {
        var e = Assert.IsType<OptionsValidationException>(ValidateOnStart(("Verifiers:External:Command", "./no-such-verifier.py")));
        Assert.Contains($"Verifiers:External:Command = './no-such-verifier.py': no such file: {Path.GetFullPath("no-such-verifier.py")}", e.Message);
    }

    [Fact]
    public void AProgramNotOnPathNamesTheKeyAndThePath()
    {
        var e = Assert.IsType<OptionsValidationException>(ValidateOnStart(("Verifiers:External:Command", "no-such-program-7f3a")));
        Assert.Contains("Verifiers:External:Command = 'no-such-program-7f3a': no program of that name on PATH (", e.Message);
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]                                 // execute permission is a Unix file mode
    public void AFileThatIsNotExecutableNamesTheKeyAndThePath()
    {
        string file = Path.Combine(Path.GetTempPath(), $"rlvr-verifier-{Guid.NewGuid():N}.py");
        File.WriteAllText(file, "print()\n");
        try
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            var e = Assert.IsType<OptionsValidationException>(ValidateOnStart(("Verifiers:External:Command", file)));
            Assert.Contains($"Verifiers:External:Command = '{file}': {file} is not executable", e.Message);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void ATimeoutOutOfRangeNamesTheKey()
    {
        var e = Assert.IsType<OptionsValidationException>(ValidateOnStart(("Verifiers:External:Command", "bash"), ("Verifiers:External:TimeoutMs", "0")));
        Assert.Contains("Verifiers:External:TimeoutMs = '0'", e.Message);
    }

    [Fact]
    public void AnUnknownKeyNamesTheKey()
    {
        var e = Assert.IsType<InvalidOperationException>(ValidateOnStart(("Verifiers:External:Timeout", "5")));
        Assert.Contains("Timeout", e.Message);
    }

    [Fact]
    public void AProgramThatCannotStartStopsTheRunAtItsStartNamingTheKey()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Programs.Verifier(new ExternalVerifierOptions { Command = "/no-such-folder/verifier" }, []));
        Assert.StartsWith("Verifiers:External:Command = '/no-such-folder/verifier' could not be started: ", e.Message);
    }

    [Fact]
    public void ThePluginsVerifierRunsTheConfiguredProgramAndTheProviderStopsIt()
    {
        int pid;
        using (var provider = Programs.Build(("Verifiers:External:Command", "bash"), ("Verifiers:External:Arguments:0", Programs.ScriptPath)))
        {
            var verification = provider.GetRequiredKeyedService<IVerifier>("external").Verify(new Problem("p", "1+2=", "", "3", 2), "ok");
            pid = int.Parse(verification.Answer!);
            Assert.True(Programs.IsRunning(pid));
        }
        Assert.True(Programs.Ends(pid));
    }
}
