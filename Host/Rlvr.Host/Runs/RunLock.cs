// One process computes a run at a time, wherever the processes are: tasks of a job array that need the same base model
// wait while the first computes it, then reuse it. The lock is an exclusive lock on a file beside the run folder, taken
// with FileShare.None, which .NET implements on Unix with flock(2): the kernel drops it when its holder dies, so a
// killed or requeued task never leaves a stale lock behind. On NFS, Linux emulates flock with POSIX byte-range locks,
// which the server arbitrates across machines.
using Microsoft.Extensions.Logging;

namespace Rlvr.Host.Runs;

/// <summary>An exclusive, process-wide and machine-wide lock on one run folder; dispose to release it.</summary>
public sealed class RunLock : IDisposable
{
    /// <summary>How often a waiting process tries the lock again.</summary>
    public static TimeSpan Poll { get; set; } = TimeSpan.FromSeconds(1);

    private readonly FileStream _file;

    private RunLock(FileStream file) => _file = file;

    /// <summary>The lock file of <paramref name="runFolder"/>: <c>&lt;arm&gt;/seed-&lt;n&gt;.lock</c>, beside the folder so that clearing the folder keeps it.</summary>
    public static string FileOf(string runFolder) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(runFolder)) + ".lock";

    /// <summary>Takes the lock of <paramref name="runFolder"/>, waiting while another process or thread holds it.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> fired while waiting.</exception>
    public static RunLock Acquire(string runFolder, ILogger logger, CancellationToken cancellation = default)
    {
        string path = FileOf(runFolder);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        bool waited = false;
        while (true)
        {
            try
            {
                var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                if (waited) logger.LogInformation("Took the lock of {Folder}", runFolder);
                return new RunLock(file);
            }
            catch (IOException) when (File.Exists(path))   // held by another process (or thread); anything else is a real error
            {
                if (!waited) logger.LogInformation("Waiting for {Folder}: another process is computing it ({Lock})", runFolder, path);
                waited = true;
                cancellation.WaitHandle.WaitOne(Poll);
                cancellation.ThrowIfCancellationRequested();
            }
        }
    }

    /// <summary>
    /// Whether some process (this one included) holds the lock of <paramref name="runFolder"/> now: a run whose status
    /// says running but whose lock is free was killed. The probe takes the lock for an instant, so a process that tries
    /// it just then waits one <see cref="Poll"/>. A lock file that cannot be opened for another reason counts as held.
    /// </summary>
    public static bool IsHeld(string runFolder)
    {
        try
        {
            using var probe = new FileStream(FileOf(runFolder), FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            return false;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return true;
        }
    }

    public void Dispose() => _file.Dispose();
}
