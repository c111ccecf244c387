// How the tools above the engine follow runs without the engine referencing them: the run index keeps each run's row
// current from here (Rlvr.Index's AddRunIndex registers it).
namespace Rlvr.Host.Runs;

/// <summary>Told of every <c>status.json</c> a run writes.</summary>
public interface IRunStatusListener
{
    /// <summary>
    /// Called after <paramref name="runFolder"/>'s <c>status.json</c> was written. The files are the truth: a listener
    /// must not throw, and one that cannot do its work catches up from the files later.
    /// </summary>
    void StatusWritten(string runFolder);
}
