using System.CommandLine;
using System.Globalization;
using Rlvr.Host.Configuration;
using Rlvr.Index;
using Rlvr.Reporting;
using Rlvr.Host.Runs;

namespace Rlvr.Cli.Commands;

/// <summary><c>rlvr compare</c>: the arms of a study side by side, pass@k and coverage over their seeds, from the run index synced first.</summary>
internal static class CompareCommand
{
    public static Command Create()
    {
        var study = new Argument<string>("study") { Description = "The study's name: its folder in the runs folder (Run:Name)." };
        var ks = new Option<string>("--k") { Description = "The k of each pass@k column, comma-separated.", DefaultValueFactory = _ => "1,8,64,256" };
        var root = CommandLine.RunsFolder();
        var command = new Command("compare", "Compare the arms of a study: per arm, the number of seeds, pass@k at each asked k as the mean over " +
                                             "the finished seeds with their range (one seed: its 95% bootstrap interval), and coverage; then each arm minus the base, paired by seed, " +
                                             "with its 95% t-interval over seeds. " +
                                             "Syncs the run index from the run folders first.")
        {
            study, ks, root,
        };
        command.SetAction(result => RunIndexCommandLine.Run(() =>
        {
            var asked = ParseKs(result.GetValue(ks)!);
            string name = result.GetValue(study)!;
            using var index = RunIndexCommandLine.OpenSynced(CommandLine.RunsFolder(result, root, overridesApply: false));
            var studies = index.Studies();
            if (!studies.Contains(name))
                throw new ConfigurationErrorsException($"<study> = '{name}': no runs of it in {index.Root}; studies there: {string.Join(", ", studies.DefaultIfEmpty("none"))}");
            Print(name, asked, index.Compare(name, asked), index.Runs(new RunFilter(Study: name)), Console.Out,
                StudyComparison.PairedWithBase(index.Runs(new RunFilter(Study: name, Status: RunStatus.Finished)), asked));
            return 0;
        }));
        return command;
    }

    /// <summary>The ks of <c>--k</c>: positive whole numbers, comma-separated.</summary>
    internal static IReadOnlyList<int> ParseKs(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var ks = parts.Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out int k) && k > 0 ? k : 0).ToList();
        if (ks.Count == 0 || ks.Contains(0))
            throw new ConfigurationErrorsException($"--k = '{text}': must be positive whole numbers separated by commas, e.g. 1,8,64,256");
        return [.. ks.Distinct().Order()];
    }

    internal static void Print(string study, IReadOnlyList<int> ks, IReadOnlyList<ArmSummary> arms, IReadOnlyList<RunEntry> runs, TextWriter output,
        IReadOnlyList<ArmDifference> differences)
    {
        output.WriteLine($"Study {study}: {arms.Count} arm(s) with finished runs.");
        output.WriteLine();
        if (arms.Count > 0)
        {
            TextTable.Write(output, ["arm", "seeds", .. ks.Select(FinalMetrics.PassAtK), "coverage"], [.. arms.Select(arm => (IReadOnlyList<string>)
                [arm.Arm, $"{arm.Seeds.Count}", .. ks.Select(k => Format(arm.PassAtK.GetValueOrDefault(k))), Format(arm.Coverage)])]);
            output.WriteLine();
            output.WriteLine("  mean over seeds; (a..b): the lowest and highest seed; [a, b]: one seed's 95% bootstrap interval; -: no seed evaluated at that k.");
        }
        if (differences.Count > 0)
        {
            output.WriteLine();
            TextTable.Write(output, ["arm", "metric", "seeds", "d (arm - base)", "95% CI", "t-test p", "sign-flip p"], [.. differences.Select(d => (IReadOnlyList<string>)
                [d.Arm, d.Metric, string.Join(",", d.Seeds), $"{d.Difference.Mean:+0.000;-0.000;0.000}",
                 double.IsNaN(d.Difference.Lower) ? "-" : $"[{d.Difference.Lower:+0.000;-0.000;0.000}, {d.Difference.Upper:+0.000;-0.000;0.000}]",
                 Verdict.P(d.Difference.TestP), Verdict.P(d.Difference.SignFlipP)])]);
            output.WriteLine();
            output.WriteLine("  d: the mean over seeds of arm seed s minus base seed s (the base it was trained from); 95% CI: Student's t over those seeds;");
            output.WriteLine("  p unadjusted. Coverage is each run's own n. Verdicts, with Holm's correction and at least 5 seeds: the study report.");
            output.WriteLine("  With RlSeeds an arm's runs from one base seed are averaged first: the unit is the base seed (with one base, its RL seeds).");
        }
        foreach (var run in runs.Select(r => r.Run).Where(r => r.Status != RunStatus.Finished))
            output.WriteLine($"  not counted: {run.Arm} seed {run.Seed}, {run.Status}{(run.Stage is null ? "" : $" in {run.Stage}")}{(run.Error is null ? "" : $": {run.Error}")}");
    }

    private static string Format(SeedSpread? spread) => spread switch
    {
        null => "-",
        { Low: var low, High: var high } when low == high => $"{spread.Mean:F3}",
        { Seeds: 1 } => $"{spread.Mean:F3} [{spread.Low:F3}, {spread.High:F3}]",
        _ => $"{spread.Mean:F3} ({spread.Low:F3}..{spread.High:F3})",
    };
}
