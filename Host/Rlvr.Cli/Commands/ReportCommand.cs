using System.CommandLine;
using Rlvr.Reporting;

namespace Rlvr.Cli.Commands;

/// <summary><c>rlvr report</c>: reads a study's run folders and writes report.md, report.html and the plots beside them.</summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var study = new Argument<string>("study") { Description = "The study: its name (a folder under --runs) or the path of its folder." };
        var runs = CommandLine.RunsFolder();
        var noLikelihood = new Option<bool>("--no-likelihood") { Description = "Skip scoring the arms' correct samples under the base model." };
        var command = new Command("report", "Write runs/<study>/report.md and a self-contained report.html: pass@k curves with bands, crossover k, " +
                                            "problems gained and lost, accuracies, reasoning paths, entropies, training curves and the exact configuration.\n" +
                                            "Configuration overrides (--Section:Key=value) apply to the base models loaded to score likelihoods, e.g. --Run:Device=cpu.")
        {
            study, runs, noLikelihood,
        };
        command.SetAction(result => CommandLine.Run(() =>
        {
            string name = result.GetValue(study)!;
            string root = CommandLine.RunsFolder(result, runs, overridesApply: true);
            string folder = Directory.Exists(name) && !Directory.Exists(Path.Combine(root, name)) ? name : Path.Combine(root, name);
            StudyData data;
            try
            {
                if (BaseStudies.WriteReport(folder, study => Write(study, CommandLine.Settings(result), likelihood: !result.GetValue(noLikelihood))) is { } each)
                {
                    Console.Out.WriteLine(each.Markdown);
                    Console.Out.WriteLine(each.Html);
                    return 0;
                }
                data = StudyLoader.Load(folder);
            }
            catch (Exception e) when (e is DirectoryNotFoundException or InvalidDataException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 2;
            }
            Console.Error.WriteLine($"Read {data.Runs.Count} run folders of {data.Folder} ({data.Runs.Count - data.Unevaluated.Count} evaluated)");
            var (markdown, html) = Write(data, CommandLine.Settings(result), likelihood: !result.GetValue(noLikelihood));
            Console.Out.WriteLine(markdown);
            Console.Out.WriteLine(html);
            return 0;
        }));
        return command;
    }

    /// <summary>
    /// Writes the report of a loaded study; the plugins to load base models with come from <paramref name="settings"/>.
    /// Says on standard error what it is doing, since scoring under the base and drawing take a while.
    /// </summary>
    /// <returns>The paths of report.md and report.html.</returns>
    internal static (string Markdown, string Html) Write(StudyData data, Rlvr.Host.RlvrHostSettings settings, bool likelihood = true)
    {
        var support = likelihood
            ? SupportLikelihood.Compute(data, baseRun =>
            {
                Console.Error.WriteLine($"Scoring correct samples under the base model of seed {baseRun.Seed} ({baseRun.ModelPath})");
                return BaseModelLoader.Load(baseRun, settings);
            })
            : SupportLikelihood.NotAvailable("skipped (--no-likelihood)");
        Console.Error.WriteLine("Computing the report's tables, bootstrap intervals and plots");
        return StudyReport.Write(data, support);
    }
}
