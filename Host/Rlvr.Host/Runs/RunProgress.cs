// Progress of the stage running now, for whoever shows it: the CLI draws a progress bar from it, a test may stop a
// run at a chosen step. Raised on the run's own thread, so a handler must be quick and must not touch tensors.
namespace Rlvr.Host.Runs;

/// <summary>Where one run's stage stands after a step.</summary>
/// <param name="Run">The run, as "arm/seed-n".</param>
/// <param name="Metrics">The step's metrics (loss, reward, tokens/s, ...); those a stage has.</param>
public sealed record StageProgress(string Run, string Stage, int Step, int Steps, IReadOnlyDictionary<string, double> Metrics);

/// <summary>Step-by-step progress of every run in a study.</summary>
public sealed class RunProgress
{
    /// <summary>Raised after each step of each stage.</summary>
    public event Action<StageProgress>? Stepped;

    internal void Report(StageProgress progress) => Stepped?.Invoke(progress);
}
