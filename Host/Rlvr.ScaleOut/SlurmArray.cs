// A study as one Slurm job array: array task i runs `rlvr run study.json --index i`. --requeue lets Slurm put a task
// back in the queue after a node failure or pre-emption; the task then runs the same command, which reuses every
// finished run and resumes the interrupted one from its last checkpoint. Shared stages (a seed's base model) are
// computed once by a lock on shared storage (RunLock), not by a dependent job: that keeps one job id, works the same
// for any scheduler that hands out an index, and needs no bookkeeping when the task that computes a base is requeued.
using System.Globalization;
using System.Text;
using Rlvr.Host.Configuration;
using Rlvr.Host.Runs;

namespace Rlvr.ScaleOut;

/// <summary>The resources each array task asks Slurm for.</summary>
public sealed record SlurmResources
{
    /// <summary>The partition (queue); null for the cluster's default.</summary>
    public string? Partition { get; init; }

    /// <summary>GPUs a task holds (<c>--gres=gpu:N</c>); 0 for none.</summary>
    public int GpusPerRun { get; init; }

    /// <summary>CPU cores a task holds (<c>--cpus-per-task</c>), also rlvr's intra-op threads; 0 for Slurm's default.</summary>
    public int CpusPerRun { get; init; }

    /// <summary>A task's wall-clock limit in Slurm's format (e.g. <c>04:00:00</c>); null for the partition's default.</summary>
    public string? Time { get; init; }

    /// <summary>Tasks that may run at once (<c>--array=0-N%M</c>); 0 for no limit.</summary>
    public int MaxRunning { get; init; }
}

/// <summary>Writes and submits the sbatch script of a <see cref="StudySubmission"/>.</summary>
public sealed class SlurmArray(StudySubmission study, SlurmResources resources, ExternalCommand? run = null)
{
    private readonly ExternalCommand _run = run ?? ExternalCommands.Run;

    /// <summary>Where the script goes, and the folder of the tasks' output files (<c>%A_%a.out</c>).</summary>
    public string ScriptFile => Path.Combine(LogFolder, "submit.sh");

    /// <summary>The tasks' output files: <c>&lt;study folder&gt;/slurm/&lt;job&gt;_&lt;task&gt;.out</c>, appended to across requeues.</summary>
    public string LogFolder => Path.Combine(study.StudyFolder, Folder);

    /// <summary>The folder in the study folder that holds the script and the tasks' output.</summary>
    public const string Folder = RunPaths.SlurmFolder;

    /// <summary>The sbatch script: one array task per study task.</summary>
    public string Script()
    {
        var text = new StringBuilder();
        text.AppendLine("#!/bin/bash");
        text.AppendLine(CultureInfo.InvariantCulture, $"# Rlvr study '{study.Name}' as a Slurm job array, written by `rlvr submit`. Array task i runs task i of the study:");
        foreach (string line in study.TaskTable()) text.AppendLine(CultureInfo.InvariantCulture, $"#   {line}");
        text.AppendLine(CultureInfo.InvariantCulture, $"#SBATCH --job-name=rlvr-{study.Name}");
        string throttle = resources.MaxRunning > 0 ? $"%{resources.MaxRunning}" : "";
        text.AppendLine(CultureInfo.InvariantCulture, $"#SBATCH --array=0-{study.Tasks.Count - 1}{throttle}");
        text.AppendLine("#SBATCH --requeue");
        text.AppendLine("#SBATCH --open-mode=append");
        text.AppendLine(CultureInfo.InvariantCulture, $"#SBATCH --output={Path.Combine(LogFolder, "%A_%a.out")}");
        if (resources.Partition is { } partition) text.AppendLine(CultureInfo.InvariantCulture, $"#SBATCH --partition={partition}");
        if (resources.Time is { } time) text.AppendLine(CultureInfo.InvariantCulture, $"#SBATCH --time={time}");
        if (resources.GpusPerRun > 0) text.AppendLine(CultureInfo.InvariantCulture, $"#SBATCH --gres=gpu:{resources.GpusPerRun}");
        if (resources.CpusPerRun > 0) text.AppendLine(CultureInfo.InvariantCulture, $"#SBATCH --cpus-per-task={resources.CpusPerRun}");
        text.AppendLine("set -euo pipefail");
        text.AppendLine("echo \"rlvr: task ${SLURM_ARRAY_TASK_ID} of job ${SLURM_ARRAY_JOB_ID} on $(hostname), restart ${SLURM_RESTART_COUNT:-0}, $(date -Is)\"");
        // exec: rlvr is the batch step's process, so the SIGTERM of a requeue or pre-emption reaches it and it stops between steps.
        var command = study.Rlvr.Concat(study.RunArguments("${SLURM_ARRAY_TASK_ID}")).Select(Quote).ToList();
        if (resources.CpusPerRun > 0) command.Add("--Run:Threads=${SLURM_CPUS_PER_TASK}");
        text.AppendLine("exec " + string.Join(' ', command));
        return text.ToString();
    }

    /// <summary>
    /// Checks the submission against the cluster, writes study.json and the script into the study folder, and submits
    /// the array; returns its job id. Nothing is queued when a check fails.
    /// </summary>
    /// <exception cref="ConfigurationErrorsException">Slurm is missing, the partition is unknown, the run root is not shared, or sbatch refuses the script.</exception>
    public string Submit()
    {
        var partitions = Partitions();
        if (resources.Partition is { } wanted && !partitions.ContainsKey(wanted))
            throw new ConfigurationErrorsException($"--partition {wanted}: no such partition; this cluster has {string.Join(", ", partitions.Keys)}");
        string partition = resources.Partition ?? partitions.FirstOrDefault(p => p.Value.Default).Key ?? partitions.Keys.FirstOrDefault() ?? "";
        int nodes = partitions.TryGetValue(partition, out var found) ? found.Nodes : 1;
        RequireSharedRunRoot(nodes);

        string script = Script();
        var test = _run("sbatch", ["--test-only"], script);   // Slurm's own check of every option, without queueing
        if (!test.Succeeded)
            throw new ConfigurationErrorsException($"sbatch refused the job script (nothing was queued): {(test.Error + test.Output).Trim()}");

        study.WriteStudyFile();
        Directory.CreateDirectory(LogFolder);
        AtomicFile.WriteAllText(ScriptFile, script);
        var submitted = _run("sbatch", ["--parsable", ScriptFile]);
        if (!submitted.Succeeded)
            throw new ConfigurationErrorsException($"sbatch failed: {(submitted.Error + submitted.Output).Trim()}");
        return submitted.Output.Trim().Split(';')[0];   // --parsable prints "jobid" or "jobid;cluster"
    }

    /// <summary>Fails when the run root cannot be shared by the array's tasks on <paramref name="nodes"/> nodes.</summary>
    /// <exception cref="ConfigurationErrorsException">It is on scratch or memory-backed storage, or on a local disk of a multi-node partition.</exception>
    public void RequireSharedRunRoot(int nodes = 1)
    {
        if (SharedStorage.Problem(study.RunRoot, SharedStorage.FilesystemOf(study.RunRoot), nodes) is { } problem)
            throw new ConfigurationErrorsException($"Run:RunRoot: {problem}");
    }

    // Partition name -> (is the default, node count), from sinfo; the default partition's name ends in '*'.
    private Dictionary<string, (bool Default, int Nodes)> Partitions()
    {
        var listed = _run("sinfo", ["--noheader", "--format=%P %D"]);
        if (listed.ExitCode == 127)   // not installed: what ExternalCommands.Run answers for a missing program, as a shell does
            throw new ConfigurationErrorsException("Slurm's commands (sinfo, sbatch) are not on PATH: run `rlvr submit --backend slurm` on a Slurm login node (or use --dry-run to see the script)");
        if (!listed.Succeeded) throw new ConfigurationErrorsException($"sinfo failed, is slurmctld reachable? {listed.Error.Trim()}");
        var partitions = new Dictionary<string, (bool Default, int Nodes)>();
        foreach (string line in listed.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            string name = fields[0].TrimEnd('*');
            int nodes = fields.Length > 1 && int.TryParse(fields[1], out int n) ? n : 1;
            // sinfo prints a partition once per node state; add the counts up.
            partitions[name] = (fields[0].EndsWith('*') || partitions.GetValueOrDefault(name).Default, partitions.GetValueOrDefault(name).Nodes + nodes);
        }
        return partitions;
    }

    // Single quotes keep paths with spaces whole; the scheduler's variable stays double-quoted so that bash expands it.
    private static string Quote(string word) =>
        word.StartsWith("${", StringComparison.Ordinal) ? $"\"{word}\"" : $"'{word.Replace("'", "'\\''", StringComparison.Ordinal)}'";
}
