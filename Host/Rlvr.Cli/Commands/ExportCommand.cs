using System.CommandLine;
using Rlvr.Host.Runs;

namespace Rlvr.Cli.Commands;

/// <summary><c>rlvr export</c>: a finished run's model as model.safetensors and config.json, for tools outside Rlvr.</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var run = new Argument<DirectoryInfo>("run-folder") { Description = "A finished base or arm run, e.g. runs/crossover/grpo/seed-1." };
        var to = new Option<DirectoryInfo>("--to") { Description = "The folder to write into; it must not hold an export already.", Required = true, HelpName = "folder" };
        var command = new Command("export", "Write a run's model for tools outside Rlvr: model.safetensors and config.json (the Hugging Face layout for llama), " +
                                            "and the tokenizer as rlvr-tokenizer.json. The model's seal is verified first.")
        {
            run, to,
        };
        command.SetAction(result => CommandLine.Run(() =>
        {
            CommandLine.RequireNoOverrides(result);
            var written = ModelExport.Export(result.GetValue(run)!.FullName, result.GetValue(to)!.FullName, CommandLine.Settings(result));
            foreach (string file in written) Console.Out.WriteLine(file);
            return 0;
        }));
        return command;
    }
}
