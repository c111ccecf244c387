// Composes a run: layered configuration, Serilog, the plugins found in the plugin folders, and a generic host whose
// service provider resolves every named component. The host never references a plugin at compile time.
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Rlvr.Host.Configuration;
using Rlvr.Host.Logging;
using Rlvr.Host.Evaluation;
using Rlvr.Host.Metrics;
using Rlvr.Host.Plugins;
using Rlvr.Host.Pretraining;
using Rlvr.Host.Runs;
using Rlvr.Host.Studies;
using Rlvr.Host.Training;
using Serilog;
using Microsoft.Extensions.Logging;
using Serilog.Extensions.Logging;

namespace Rlvr.Host;

/// <summary>Builds the generic host of a run from <see cref="RlvrHostSettings"/>.</summary>
public sealed class RlvrHostBuilder
{
    /// <summary>The configuration section that lists extra plugin folders.</summary>
    public const string PluginFoldersKey = "Plugins:Folders";

    private RlvrHostBuilder(IConfigurationRoot configuration, Serilog.Core.Logger logger, PluginSet plugins)
    {
        Configuration = configuration;
        Logger = logger;
        Plugins = plugins;
    }

    /// <summary>The run's layered configuration.</summary>
    public IConfigurationRoot Configuration { get; }

    /// <summary>The process's Serilog logger; the host built from this builder disposes it.</summary>
    public Serilog.Core.Logger Logger { get; }

    /// <summary>The console log's minimum level; a progress display raises it while it draws. The log file keeps every level.</summary>
    public Serilog.Core.LoggingLevelSwitch ConsoleLevel { get; private init; } = new();

    /// <summary>Step-by-step progress of every run of every host this builder builds.</summary>
    public RunProgress Progress { get; } = new();

    /// <summary>The plugins found, loaded and failed.</summary>
    public PluginSet Plugins { get; }

    /// <summary>Reads the configuration, starts logging and discovers plugins.</summary>
    /// <exception cref="ConfigurationErrorsException">The config file is missing or malformed, or an override is malformed.</exception>
    public static RlvrHostBuilder Create(RlvrHostSettings settings)
    {
        NativeRuntime.Configure();   // before any tensor: every process that runs a study builds its host here
        var configuration = RlvrConfiguration.Build(settings.ConfigFile, settings.Overrides);
        var consoleLevel = new Serilog.Core.LoggingLevelSwitch(Serilog.Events.LogEventLevel.Verbose);
        var logger = RlvrLogging.CreateLogger(configuration, settings.LogToStudyFolder ? RunPaths.StudyFolder(configuration) : null, consoleLevel);

        var roots = new List<PluginRoot>();
        if (settings.UseDefaultPluginFolder) roots.Add(new(RlvrHostSettings.DefaultPluginFolder, Explicit: false));
        roots.AddRange(configuration.GetSection(PluginFoldersKey).GetChildren().Select(c => new PluginRoot(c.Value ?? "", Explicit: true)));
        roots.AddRange(settings.PluginFolders.Select(f => new PluginRoot(f, Explicit: true)));

        using ILoggerFactory loggerFactory = new SerilogLoggerFactory(logger);
        var plugins = new PluginDiscovery(loggerFactory.CreateLogger<PluginDiscovery>()).Discover(roots, configuration);
        return new RlvrHostBuilder(configuration, logger, plugins) { ConsoleLevel = consoleLevel };
    }

    /// <summary>
    /// Adds registrations to every host this builder builds, after the engine's own and before the plugins': how the
    /// assemblies above the engine (the run index, the reports) join a run without the engine referencing them.
    /// </summary>
    public RlvrHostBuilder ConfigureServices(Action<IServiceCollection> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _services.Add(configure);
        return this;
    }

    private readonly List<Action<IServiceCollection>> _services = [];

    /// <summary>Builds the generic host: host services, those added by <see cref="ConfigureServices"/>, then every loaded plugin's registrations.</summary>
    public IHost Build() => Build(Configuration, ownsLogger: true);

    /// <summary>
    /// A host for one arm of the study: the configuration with <c>Arms:&lt;arm&gt;</c> laid over it, so the arm's
    /// components and options are its own. The plugins are the ones already loaded; the logger stays the study's.
    /// </summary>
    public IHost BuildArm(string arm) => Build(ArmConfiguration(Configuration, arm), ownsLogger: false);

    /// <summary>
    /// A host for one run of the study: the base (<paramref name="arm"/> null) or an arm, with <c>Run:Seed</c> set to
    /// <paramref name="seed"/> and, for an arm, <c>Run:RlSeed</c> to <paramref name="rlSeed"/> when there is one. The
    /// plugins are the ones already loaded; the logger stays the study's.
    /// </summary>
    public IHost BuildRun(string? arm, int seed, int? rlSeed = null)
    {
        var configuration = arm is null ? Configuration : ArmConfiguration(Configuration, arm);
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        List<KeyValuePair<string, string?>> run = [new("Run:Seed", seed.ToString(invariant))];
        if (arm is not null && rlSeed is int rl) run.Add(new("Run:RlSeed", rl.ToString(invariant)));
        return Build(new ConfigurationBuilder().AddConfiguration(configuration).AddInMemoryCollection(run).Build(), ownsLogger: false);
    }

    /// <summary>The study's seeds: the <c>Seeds</c> list, or <c>Run:Seed</c> alone when there is none.</summary>
    /// <exception cref="ConfigurationErrorsException">Seeds is given but is no list of seeds, a seed is not a non-negative integer, or one repeats.</exception>
    public static IReadOnlyList<int> Seeds(IConfiguration configuration) =>
        SeedList(configuration, SeedsSection, "to run Run:Seed alone") is { } seeds ? seeds : [configuration.GetValue("Run:Seed", 1)];

    /// <summary>
    /// The RL seeds each arm runs under every base seed: the <c>RlSeeds</c> list, or one null (one RL run per base seed,
    /// the arm's randomness seeded by the base seed alone) when there is none.
    /// </summary>
    /// <exception cref="ConfigurationErrorsException">RlSeeds is given but is no list of seeds, a seed is not a non-negative integer, or one repeats.</exception>
    public static IReadOnlyList<int?> RlSeeds(IConfiguration configuration) =>
        SeedList(configuration, RlSeedsSection, "for one RL run per base seed") is { } seeds ? [.. seeds.Select(s => (int?)s)] : [null];

    // The list under key, or null when the key is absent.
    private static IReadOnlyList<int>? SeedList(IConfiguration configuration, string key, string withoutIt)
    {
        var section = configuration.GetSection(key);
        var listed = section.GetChildren().Select(c => c.Value).ToList();
        if (listed.Count == 0)
        {
            // An empty list ("Seeds": []) is a key with an empty value and no children: present, unlike a study without the list.
            if (!configuration.GetChildren().Any(c => string.Equals(c.Key, key, StringComparison.OrdinalIgnoreCase))) return null;
            throw new ConfigurationErrorsException($"{key}: {(string.IsNullOrEmpty(section.Value) ? "the list is empty" : $"'{section.Value}' is not a list")}; " +
                $"list the seeds, e.g. [1, 2, 3], or leave {key} out {withoutIt}");
        }
        var errors = listed.Where(v => !int.TryParse(v, out int n) || n < 0).Select(v => $"{key}: '{v}' is not a seed; use non-negative integers, e.g. [1, 2, 3]").ToList();
        if (errors.Count == 0 && listed.Distinct().Count() < listed.Count) errors.Add($"{key}: [{string.Join(", ", listed)}] repeats a seed; on the command line --{key}=1,2,3 sets the list whole");
        if (errors.Count > 0) throw new ConfigurationErrorsException(errors);
        return [.. listed.Select(v => int.Parse(v!))];
    }

    /// <summary>The list of seeds a study runs, each a full replicate (base and arms).</summary>
    public const string SeedsSection = "Seeds";

    /// <summary>The list of RL seeds each arm runs under every base seed, each its own run from the same base.</summary>
    public const string RlSeedsSection = "RlSeeds";

    /// <summary>
    /// The configuration of <paramref name="arm"/>: <c>Arms:&lt;arm&gt;</c> laid over the study
    /// (<see cref="RlvrConfiguration.Overlay"/>).
    /// </summary>
    public static IConfigurationRoot ArmConfiguration(IConfiguration configuration, string arm) =>
        RlvrConfiguration.Overlay(configuration, $"{ArmsSection}:{arm}");

    /// <summary>The section whose children are the study's arms.</summary>
    public const string ArmsSection = "Arms";

    private IHost Build(IConfiguration configuration, bool ownsLogger)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddConfiguration(configuration);
        builder.Services.AddSerilog(Logger, dispose: ownsLogger);
        builder.Services.AddSingleton(Plugins);
        builder.Services.AddSingleton(Progress);
        builder.Services.AddSingleton<ComponentCatalog>();
        builder.Services.AddSingleton<ConfigurationValidator>();
        builder.Services.AddComponentOptions<ComponentSelection>(ComponentSelection.Section);
        builder.Services.AddSingleton<IValidateOptions<ComponentSelection>, ComponentSelectionValidator>();
        builder.Services.AddComponentOptions<RunOptions>(RunOptions.Section);
        builder.Services.AddComponentOptions<PretrainOptions>(PretrainOptions.Section)
            .Validate(o => o.MicroBatches <= o.BatchSize, "Pretrain:MicroBatches must be at most Pretrain:BatchSize: each part holds at least one document.")
            .Validate(o => o.MicroBatches == 1 || !o.Packing, "Pretrain:MicroBatches must be 1 with Pretrain:Packing: packed rows have no padding to save.")
            .Validate(o => o.TokenBudget == 0 || o.TokenBudget >= PretrainOptions.MinTokenBudget,
                $"Pretrain:TokenBudget must be 0 (no pretraining: the base is the model as loaded) or at least {PretrainOptions.MinTokenBudget:N0}.");
        builder.Services.AddComponentOptions<EvaluationOptions>(EvaluationOptions.Section);
        builder.Services.AddComponentOptions<TrainOptions>(TrainOptions.Section);
        builder.Services.AddComponentOptions<RolloutOptions>(RolloutOptions.Section);
        builder.Services.AddSingleton<IValidateOptions<RolloutOptions>, RewardWeightsValidator>();
        builder.Services.AddSingleton<TaskFitValidator>();
        builder.Services.AddHostMetricsSinks();
        builder.Services.AddSingleton<RunComposer>();
        builder.Services.AddSingleton<RunLifecycle>();
        builder.Services.AddSingleton<PipelineRunner>();
        builder.Services.AddSingleton<ArmRunner>();
        foreach (var configure in _services) configure(builder.Services);
        foreach (var plugin in Plugins.Loaded)
            plugin.Entry.ConfigureServices(builder.Services, configuration);
        return builder.Build();
    }
}
