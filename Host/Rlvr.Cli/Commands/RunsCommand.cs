using System.CommandLine;
using Rlvr.Index;
using Rlvr.Host.Runs;

namespace Rlvr.Cli.Commands;

/// <summary><c>rlvr runs</c>: the runs in the runs folder with their status and headline numbers, from the run index synced first.</summary>
internal static class RunsCommand
{
    public static Command Create()
    {
        var study = new Option<string>("--study") { Description = "Only the runs of this study." };
        var arm = new Option<string>("--arm") { Description = "Only the runs of this arm (the base model's is \"base\")." };
        var status = new Option<string>("--status") { Description = $"Only the runs with this status: {RunStatus.Running}, {RunStatus.Finished}, {RunStatus.Failed}, {RunStatus.Stopped}, {RunFolderReader.Interrupted} (killed, resumable) or {RunStatus.Unknown}." };
        var seed = new Option<int?>("--seed") { Description = "Only the runs of this seed." };
        var root = CommandLine.RunsFolder();
        var command = new Command("runs", "List the runs in the runs folder: study, arm, seed (with its RL seed where it has one), status, stage, last update, pass@1 and coverage. " +
                                          "Syncs the run index from the run folders first.")
        {
            study, arm, status, seed, root,
        };
        command.SetAction(result => RunIndexCommandLine.Run(() =>
        {
            using var index = RunIndexCommandLine.OpenSynced(CommandLine.RunsFolder(result, root, overridesApply: false));
            Print(index.Runs(new RunFilter(result.GetValue(study), result.GetValue(arm), result.GetValue(status), result.GetValue(seed))), Console.Out);
            return 0;
        }));
        return command;
    }

    internal static void Print(IReadOnlyList<RunEntry> runs, TextWriter output)
    {
        if (runs.Count == 0)
        {
            output.WriteLine("No runs match.");
            return;
        }
        string Number(RunEntry entry, string name) => entry.Metrics.TryGetValue(name, out double value) ? $"{value:F3}" : "-";
        TextTable.Write(output, ["study", "arm", "seed", "status", "stage", "updated (UTC)", "pass@1", "coverage"], [.. runs.Select(entry =>
        {
            var run = entry.Run;
            return (IReadOnlyList<string>)[run.Study, run.Arm, run.RlSeed is int rl ? $"{run.Seed} rl {rl}" : $"{run.Seed}", run.Status, run.Stage ?? "-", run.Updated is { } updated ? $"{updated.UtcDateTime:yyyy-MM-dd HH:mm}" : "-",
                Number(entry, FinalMetrics.PassAtK(1)), Number(entry, FinalMetrics.Coverage)];
        })]);
        foreach (var run in runs.Select(r => r.Run).Where(r => r.Error is not null))
            output.WriteLine($"{run.Study}/{run.Arm}/{RunPaths.RunFolderName(run.Seed, run.RlSeed)} {run.Status}: {run.Error}");
        output.WriteLine($"{runs.Count} run(s).");
    }
}
