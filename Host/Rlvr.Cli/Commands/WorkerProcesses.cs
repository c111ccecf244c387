// Run:Parallel > 1 runs a study's tasks in worker processes, each `rlvr run <config> --index <i>` on threads of its
// own, rather than on threads of one process. TorchSharp wraps the `1` of `x + 1` in a finalizable Scalar that nothing
// disposes; a garbage collection started by another thread of the same process can finalize it while libtorch still
// reads it, and the run dies with a native error (docs/platform-notes.md). A process that does tensor work on one thread
// never collects during its own native calls. Tasks go out arm by arm, each arm's seeds together, so that a worker
// seldom waits for a base or an earlier arm that another worker is computing (the run folder's lock shares it).
using System.Diagnostics;
using Rlvr.Host;
using Rlvr.Host.Runs;
using Rlvr.Host.Studies;

namespace Rlvr.Cli.Commands;

internal static class WorkerProcesses
{
    /// <summary>What one worker did: its task, its exit code, and the file that holds its console output.</summary>
    public sealed record Outcome(StudyTask Task, int ExitCode, TimeSpan Elapsed, string OutputFile);

    /// <summary>
    /// Runs every task in its own worker process, at most <paramref name="workers"/> at once, and returns how each
    /// ended. A stop signals the running workers (they keep their last checkpoint) and starts no more.
    /// </summary>
    /// <param name="threads">Run:Threads for each worker, or null to keep the configured value.</param>
    /// <param name="outputFolder">Where each worker's console output goes, task-&lt;index&gt;.out.</param>
    public static IReadOnlyList<Outcome> Run(RlvrHostSettings settings, IReadOnlyList<StudyTask> tasks, IReadOnlyList<string> armOrder,
        int workers, int? threads, string outputFolder, TextWriter progress, CancellationToken cancellation)
    {
        Directory.CreateDirectory(outputFolder);
        var position = armOrder.Select((arm, i) => (arm, i)).ToDictionary(p => p.arm, p => p.i);
        var queue = new Queue<StudyTask>(tasks.OrderBy(t => position[t.Arm]).ThenBy(t => t.Index));
        var running = new Dictionary<Task, (StudyTask Task, Process Process, Stopwatch Clock, string Output, Task Copy)>();
        var outcomes = new List<Outcome>();
        using var stop = cancellation.Register(() =>
        {
            lock (running) foreach (var worker in running.Values) Signal(worker.Process);
        });
        while (queue.Count > 0 || running.Count > 0)
        {
            while (running.Count < workers && queue.Count > 0 && !cancellation.IsCancellationRequested)
            {
                var task = queue.Dequeue();
                string output = Path.Combine(outputFolder, $"task-{task.Index}.out");
                var process = Start(settings, task, threads);
                var copy = Copy(process, output);
                lock (running) running[process.WaitForExitAsync()] = (task, process, Stopwatch.StartNew(), output, copy);
            }
            if (running.Count == 0) break;
            Task[] waiting;
            lock (running) waiting = [.. running.Keys];
            var done = Task.WhenAny(waiting).GetAwaiter().GetResult();
            (StudyTask Task, Process Process, Stopwatch Clock, string Output, Task Copy) finished;
            lock (running)
            {
                finished = running[done];
                running.Remove(done);
            }
            finished.Copy.GetAwaiter().GetResult();
            var outcome = new Outcome(finished.Task, finished.Process.ExitCode, finished.Clock.Elapsed, finished.Output);
            finished.Process.Dispose();
            outcomes.Add(outcome);
            string name = $"task {outcome.Task.Index} (arm {outcome.Task.Arm}, {RunPaths.UnitName(outcome.Task.Seed, outcome.Task.RlSeed)})";
            progress.WriteLine(outcome.ExitCode == 0
                ? $"{name} finished in {outcome.Elapsed.TotalSeconds:F0} s"
                : $"{name} ended with exit code {outcome.ExitCode} after {outcome.Elapsed.TotalSeconds:F0} s; its output: {outcome.OutputFile}");
        }
        cancellation.ThrowIfCancellationRequested();
        return outcomes;
    }

    // `dotnet rlvr.dll run <config> <overrides> --plugins <folders> --index <i>`: the command line that started this
    // process, narrowed to one task.
    private static Process Start(RlvrHostSettings settings, StudyTask task, int? threads)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(WorkerProcesses).Assembly.Location);
        start.ArgumentList.Add("run");
        start.ArgumentList.Add(settings.ConfigFile ?? throw new InvalidOperationException("A study run by workers needs its config file."));
        foreach (string token in settings.Overrides) start.ArgumentList.Add(token);
        if (threads is int t) start.ArgumentList.Add($"--Run:Threads={t}");
        foreach (string folder in settings.PluginFolders)
        {
            start.ArgumentList.Add("--plugins");
            start.ArgumentList.Add(folder);
        }
        start.ArgumentList.Add("--index");
        start.ArgumentList.Add(task.Index.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return Process.Start(start) ?? throw new InvalidOperationException($"Could not start a worker process for task {task.Index}.");
    }

    // Both streams into one file, as they come.
    private static Task Copy(Process process, string file)
    {
        var target = new StreamWriter(file) { AutoFlush = true };
        var gate = new object();
        async Task Pump(StreamReader from)
        {
            while (await from.ReadLineAsync() is { } line)
                lock (gate) target.WriteLine(line);
        }
        return Task.WhenAll(Pump(process.StandardOutput), Pump(process.StandardError)).ContinueWith(_ => target.Dispose(), TaskScheduler.Default);
    }

    // The dotnet host that runs this process (`dotnet rlvr.dll`, `dotnet run`, a test host), else the one on the PATH.
    private static string DotnetHost()
    {
        string? current = Environment.ProcessPath;
        if (current is not null && Path.GetFileNameWithoutExtension(current).Equals("dotnet", StringComparison.OrdinalIgnoreCase)) return current;
        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
    }

    // A stop the worker handles as its own Ctrl+C or scheduler's SIGTERM would be: between steps, keeping its checkpoint.
    private static void Signal(Process process)
    {
        try
        {
            if (process.HasExited) return;
            if (OperatingSystem.IsWindows()) process.Kill(entireProcessTree: true);
            else Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])?.WaitForExit();
        }
        catch (InvalidOperationException)
        {
            // It exited in the meantime.
        }
    }
}
