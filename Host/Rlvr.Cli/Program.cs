// The `rlvr` command. One file a verb under Commands/; each verb has its own --help.
using System.CommandLine;
using Rlvr.Cli.Commands;

var root = new RootCommand("Rlvr: does a training signal raise a language model's capability ceiling, or only sharpen what it already does?")
{
    CommandLine.PluginFolders,
};
root.Subcommands.Add(PluginsCommand.Create());
root.Subcommands.Add(ValidateCommand.Create());
root.Subcommands.Add(RunCommand.Create());
root.Subcommands.Add(ResumeCommand.Create());
root.Subcommands.Add(ReportCommand.Create());
root.Subcommands.Add(RunsCommand.Create());
root.Subcommands.Add(CompareCommand.Create());
root.Subcommands.Add(ExportCommand.Create());
root.Subcommands.Add(SubmitCommand.Create());
return await root.Parse(CommandLine.TakeOverrides(args)).InvokeAsync();
