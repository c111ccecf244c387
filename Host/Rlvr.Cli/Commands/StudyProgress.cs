// A live progress display for a study in a terminal: one bar per run and stage, with the step's headline metric,
// throughput and time left. Where output is not a terminal (CI, a pipe, a Slurm log) nothing is drawn and the plain
// log lines stand alone.
using Rlvr.Host;
using Rlvr.Host.Runs;
using Serilog.Events;
using Spectre.Console;

namespace Rlvr.Cli.Commands;

internal static class StudyProgress
{
    /// <summary>Runs <paramref name="study"/>, drawing its progress while it runs when the console is interactive.</summary>
    public static T Show<T>(RlvrHostBuilder builder, Func<T> study)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive || Console.IsOutputRedirected || Console.IsErrorRedirected) return study();

        var previous = builder.ConsoleLevel.MinimumLevel;
        builder.ConsoleLevel.MinimumLevel = LogEventLevel.Warning;   // info lines would tear the display; the run folder's log keeps them
        try
        {
            return AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .Start(context =>
                {
                    var bars = new Dictionary<(string, string), ProgressTask>();
                    void OnStep(StageProgress p)
                    {
                        lock (bars)
                        {
                            if (!bars.TryGetValue((p.Run, p.Stage), out var bar))
                                bars[(p.Run, p.Stage)] = bar = context.AddTask(Markup.Escape($"{p.Run} {p.Stage}"), maxValue: p.Steps);
                            bar.Value = p.Step;
                            if (Headline(p) is { } headline) bar.Description = Markup.Escape($"{p.Run} {p.Stage} {headline}");
                        }
                    }
                    builder.Progress.Stepped += OnStep;
                    try { return study(); }
                    finally { builder.Progress.Stepped -= OnStep; }
                });
        }
        finally
        {
            builder.ConsoleLevel.MinimumLevel = previous;
        }
    }

    // What a researcher watches: the loss while pretraining, the reward while training; and the speed.
    private static string? Headline(StageProgress p)
    {
        var m = p.Metrics;
        if (m.TryGetValue("samples_per_s", out var samples)) return $"{samples:N0} samples/s";
        string? value = m.TryGetValue("reward_mean", out var reward) ? $"reward {reward:F3}"
            : m.TryGetValue("loss", out var loss) ? $"loss {loss:F3}" : null;
        if (value is null) return null;
        return m.TryGetValue("tokens_per_s", out var speed) ? $"{value} {speed:N0} tok/s" : value;
    }
}
