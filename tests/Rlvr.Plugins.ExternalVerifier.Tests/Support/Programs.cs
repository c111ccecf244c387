// The programs the tests run as verifiers, and the verifier built around them as the host builds it.
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rlvr.Plugins.ExternalVerifier;
using Rlvr.Tasks;
using Rlvr.Testing;

namespace Rlvr.Plugins.ExternalVerifier.Tests.Support;

internal static class Programs
{
    public const string Section = "Verifiers:External";

    /// <summary>The Python sample, Samples/ExternalVerifier/verifier.py, copied beside the tests.</summary>
    public static string PythonSample => Path.Combine(AppContext.BaseDirectory, "Samples", "verifier.py");

    /// <summary>Support/program.sh: right answers, with misbehaviour on request.</summary>
    public static string ScriptPath => Path.Combine(AppContext.BaseDirectory, "Support", "program.sh");

    /// <summary>A provider with the plugin registered, configured by <paramref name="settings"/>, as the host builds it.</summary>
    public static ServiceProvider Build(params (string Key, string Value)[] settings) => PluginServices.Build(new ExternalVerifierPlugin(), settings);

    /// <summary>A provider whose verifier "external" runs the Python sample.</summary>
    public static ServiceProvider Python() => Build(($"{Section}:Command", "python3"), ($"{Section}:Arguments:0", PythonSample));

    /// <summary>The script as a verifier, its warnings kept in <paramref name="log"/>.</summary>
    public static ExternalVerifier Script(List<string> log, int timeoutMs = 10_000, params string[] arguments) =>
        Verifier(new ExternalVerifierOptions { Command = "bash", Arguments = [ScriptPath, .. arguments], TimeoutMs = timeoutMs }, log);

    /// <summary>The verifier with <paramref name="options"/> as given, unvalidated, its warnings kept in <paramref name="log"/>.</summary>
    public static ExternalVerifier Verifier(ExternalVerifierOptions options, List<string> log) =>
        new(Options.Create(options), [new OptionsSection(typeof(ExternalVerifierOptions), Section)], new ListLogger(log));

    /// <summary>Whether process <paramref name="pid"/> runs (a zombie, dead but not yet reaped, does not).</summary>
    public static bool IsRunning(int pid)
    {
        string stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat)) return false;
        string text = File.ReadAllText(stat);
        return text[(text.LastIndexOf(')') + 2)..][0] != 'Z';          // "pid (name) state ...": the name may hold spaces
    }

    /// <summary>Whether process <paramref name="pid"/> is gone within a few seconds: a killed process dies a moment after the signal.</summary>
    public static bool Ends(int pid)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (IsRunning(pid) && DateTime.UtcNow < deadline) Thread.Sleep(20);
        return !IsRunning(pid);
    }

    /// <summary>Whether <paramref name="actual"/> says exactly what <paramref name="expected"/> says.</summary>
    public static void AssertSame(Verification expected, Verification actual, string because)
    {
        Assert.True(expected.AnswerCorrect == actual.AnswerCorrect && expected.Answer == actual.Answer && expected.Steps.SequenceEqual(actual.Steps),
            $"{because}: expected {Describe(expected)}, got {Describe(actual)}");
    }

    private static string Describe(Verification v) => $"answer {(v.AnswerCorrect ? "right" : "wrong")} '{v.Answer}', steps [{string.Join(", ", v.Steps)}]";

    private sealed class ListLogger(List<string> lines) : ILogger<ExternalVerifier>
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (lines) lines.Add($"{logLevel}: {formatter(state, exception)}");
        }
    }
}
