using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Rlvr.Host;
using Rlvr.Host.Configuration;
using Rlvr.Host.Plugins;
using Rlvr.Host.Studies;

namespace Rlvr.Cli.Commands;

/// <summary><c>rlvr validate</c>: resolves every named component of a config and validates every section, listing all errors at once.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var config = new Argument<FileInfo>("config") { Description = "The study or run config, a JSON file." };
        var runs = CommandLine.RunsFolder();
        var command = new Command("validate", "Check a config before any compute: every selected component exists and every option is valid.\n" + CommandLine.OverridesHelp)
        {
            config, runs,
        };
        command.SetAction(result => CommandLine.Run(() =>
        {
            var settings = CommandLine.Settings(result, result.GetValue(config)!.FullName, runs);
            if (BaseStudies.Of(settings) is { } bases)
            {
                var all = BaseStudies.Validate(bases);
                if (all.Count > 0) return Report(all);
                Console.Out.WriteLine($"{result.GetValue(config)!.Name} is valid: {bases.Count} bases ({string.Join(", ", bases.Select(b => b.Base))}), each a study of its own.");
                return 0;
            }
            var builder = CommandLine.HostBuilder(settings);
            using var host = builder.Build();
            var study = new StudyRunner(builder);
            var errors = study.Validate(host);
            if (errors.Count > 0) return Report(errors);
            var catalog = host.Services.GetRequiredService<ComponentCatalog>();
            var selection = host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ComponentSelection>>().Value;
            Console.Out.WriteLine($"{result.GetValue(config)!.Name} is valid: {catalog.Components.Count} component(s) registered.");
            foreach (var (kind, key, name) in selection.Selected())
                Console.Out.WriteLine($"  {key,-28} {name}  ({ComponentCatalog.Describe(kind)})");
            foreach (var arm in study.ArmsInOrder())
            {
                using var armHost = builder.BuildArm(arm);
                var armSelection = armHost.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ComponentSelection>>().Value;
                Console.Out.WriteLine($"  arm {arm}: algorithm {armSelection.Algorithm}, rewards {string.Join(" + ", armSelection.Rewards.DefaultIfEmpty("terminal"))}");
            }
            return 0;
        }));
        return command;
    }

    private static int Report(IReadOnlyList<string> errors)
    {
        Console.Error.WriteLine($"{errors.Count} configuration error(s):");
        foreach (string error in errors) Console.Error.WriteLine($"  {error}");
        return 1;
    }
}
