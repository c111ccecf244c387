// Keeps the run index current while runs go: each status.json a run writes updates the run's row. The files are the
// truth, so an index that cannot be written is only a warning: the next `rlvr runs` catches up from the folders.
using Microsoft.Extensions.Logging;
using Rlvr.Host.Runs;

namespace Rlvr.Index;

/// <summary>Updates a run's row of the index of its runs root whenever the run writes its status.</summary>
internal sealed class RunIndexUpdater(ILogger<RunIndexUpdater> logger) : IRunStatusListener
{
    public void StatusWritten(string runFolder)
    {
        try
        {
            // <RunRoot>/<study>/<arm>/seed-n
            using var index = new RunIndex(Path.GetFullPath(Path.Combine(runFolder, "..", "..", "..")));
            if (index.Rebuilt is not null) logger.LogWarning("{Rebuilt}", index.Rebuilt);
            index.SyncRun(runFolder);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogWarning("The run index was not updated for {Folder} ({Error}); `rlvr runs` will catch up from the files", runFolder, e.Message);
        }
    }
}
