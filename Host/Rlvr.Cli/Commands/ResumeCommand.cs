using System.CommandLine;
using Rlvr.Host;
using Rlvr.Host.Configuration;
using Rlvr.Host.Runs;
using Rlvr.Host.Studies;

namespace Rlvr.Cli.Commands;

/// <summary><c>rlvr resume</c>: continues a study that was killed, from the configuration it was started with.</summary>
internal static class ResumeCommand
{
    public static Command Create()
    {
        var run = new Argument<DirectoryInfo>("run") { Description = "A run folder (runs/<study>/<arm>/seed-<n>) or the study's folder (runs/<study>)." };
        var command = new Command("resume", "Resume a killed study: finished runs are kept, the run that was cut off continues from its last checkpoint " +
                                            "and computes exactly what it would have computed uninterrupted.\n" + CommandLine.OverridesHelp)
        {
            run,
        };
        command.SetAction(result => CommandLine.Run(() =>
        {
            string study = StudyFile(result.GetValue(run)!);
            var settings = CommandLine.Settings(result, study);
            // The runs root is where the study's folder lies, whatever the working directory is now.
            string root = RunPaths.RunRootOf(Path.GetDirectoryName(study)!, RlvrConfiguration.Build(study, []));
            return RunCommand.RunStudy(settings with { Overrides = [$"--Run:RunRoot={root}", .. settings.Overrides] });
        }));
        return command;
    }

    // The study's folder is the run folder itself or one of its parents: the one holding study.json.
    private static string StudyFile(DirectoryInfo run)
    {
        for (var folder = run; folder is not null; folder = folder.Parent)
        {
            string file = Path.Combine(folder.FullName, StudyRunner.StudyFile);
            if (File.Exists(file)) return file;
        }
        throw new ConfigurationErrorsException($"{run.FullName}: neither it nor a folder above it holds {StudyRunner.StudyFile}; is it a run folder of `rlvr run`?");
    }
}
