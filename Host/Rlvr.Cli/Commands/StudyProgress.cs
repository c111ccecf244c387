// A live progress display for a study in a terminal: a bar for the whole study with its time left, then one bar per
// run and stage, with the stage's headline metric, throughput and time left. Where output is not a terminal (CI, a
// pipe, a Slurm log) nothing is drawn and the plain log lines stand alone.
using Rlvr.Host;
using Rlvr.Host.Runs;
using Serilog.Events;
using Spectre.Console;

namespace Rlvr.Cli.Commands;

internal static class StudyProgress
{
    /// <summary>Runs <paramref name="study"/>, drawing its progress while it runs when the console is interactive.</summary>
    /// <param name="stages">The stages the study has left to run (two a run: pretrain or train, then evaluate), for the
    /// study's bar; null for none.</param>
    public static T Show<T>(RlvrHostBuilder builder, Func<T> study, int? stages = null)
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
                    // The study's bar counts stages done, each in proportion to its steps; its time left extrapolates from the stages so far.
                    var whole = stages is int total and > 0 ? context.AddTask("study", maxValue: total) : null;
                    var bars = new Dictionary<(string, string), (ProgressTask Bar, StageHeadline Headline)>();
                    void OnStep(StageProgress p)
                    {
                        lock (bars)
                        {
                            if (!bars.TryGetValue((p.Run, p.Stage), out var entry))
                                bars[(p.Run, p.Stage)] = entry = (context.AddTask(Markup.Escape($"{p.Run} {p.Stage}"), maxValue: p.Steps), new StageHeadline());
                            if (whole is not null) whole.Value = Math.Min(whole.MaxValue, whole.Value + (p.Step - entry.Bar.Value) / Math.Max(1, p.Steps));
                            entry.Bar.Value = p.Step;
                            entry.Bar.Description = Markup.Escape($"{p.Run} {p.Stage} {entry.Headline.After(p)}".TrimEnd());
                        }
                    }
                    builder.Progress.Stepped += OnStep;
                    try
                    {
                        var result = study();
                        if (whole is not null) whole.Value = whole.MaxValue;
                        return result;
                    }
                    finally { builder.Progress.Stepped -= OnStep; }
                });
        }
        finally
        {
            builder.ConsoleLevel.MinimumLevel = previous;
        }
    }
}
