// docs/plugin-authoring.md's recipe for a new plugin from a template, outside the repository: pack Rlvr.Abstractions
// into a local feed, install the template package into a hive of its own, create one plugin of each kind, build each
// against the packed Abstractions, and load them in rlvr. Then each generated component does its job.
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Rlvr.Host.Plugins;
using Rlvr.Host.Tests.Support;
using Rlvr.Models;
using Rlvr.Objectives;
using Rlvr.Rewards;
using Rlvr.Tasks;
using static TorchSharp.torch;

namespace Rlvr.Host.Tests.Plugins;

/// <summary>Packs, installs, instantiates and builds the four templates once for the tests below.</summary>
public sealed class PluginTemplatesFixture : IDisposable
{
    /// <summary>Each template's short name and the plugin name given with <c>-n</c>.</summary>
    public static readonly (string Template, string Name)[] Plugins =
    [
        ("rlvr-task", "Contoso.Rlvr.RepeatedAddition"),
        ("rlvr-reward", "PartialCredit"),
        ("rlvr-estimator", "MeanBaseline"),
        ("rlvr-model", "TwoTokenWindow"),
    ];

    public PluginTemplatesFixture()
    {
        Root = Directory.CreateTempSubdirectory("rlvr-templates-").FullName;
        string feed = Path.Combine(Root, "feed"), hive = Path.Combine(Root, "hive"), sources = Path.Combine(Root, "src");

        // A version no other source has, so that restore can only take the package packed here.
        var host = typeof(IRlvrPlugin).Assembly.GetName().Version!;
        AbstractionsVersion = $"{host.Major}.{host.Minor}.{host.Build}-local{Guid.NewGuid():N}";
        Run(["pack", Path.Combine(Repository.Root, "Abstractions", "Rlvr.Abstractions", "Rlvr.Abstractions.csproj"), "-c", Repository.Configuration,
            "--no-build", "-o", feed, $"-p:PackageVersion={AbstractionsVersion}", $"-p:NuspecOutputPath={Path.Combine(Root, "nuspec")}/", "--disable-build-servers"], Root);
        Run(["pack", Path.Combine(Repository.Root, "Samples", "Templates", "Rlvr.Templates.csproj"), "-o", feed,
            "--artifacts-path", Path.Combine(Root, "artifacts"), "--disable-build-servers"], Root);

        // The packed Abstractions restore into a package folder of this test's own; every other package comes from the
        // machine's package folder, or from the usual sources when it is not there.
        string machinePackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        Packages = Path.Combine(Root, "packages");
        File.WriteAllText(Path.Combine(Root, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config><add key="globalPackagesFolder" value="{Packages}" /></config>
              <packageSources><add key="local" value="{feed}" /></packageSources>
              <fallbackPackageFolders><add key="machine" value="{machinePackages}" /></fallbackPackageFolders>
            </configuration>
            """);

        string templates = Directory.GetFiles(feed, "Rlvr.Templates.*.nupkg").Single();
        Run(["new", "install", templates, "--debug:custom-hive", hive], Root);
        foreach (var (template, name) in Plugins)
            Run(["new", template, "-n", name, "-o", Path.Combine(sources, name), "--rlvr-version", AbstractionsVersion, "--no-update-check", "--debug:custom-hive", hive], Root);

        File.WriteAllText(Path.Combine(sources, "plugins.slnx"),
            $"<Solution>{string.Concat(Plugins.Select(p => $"<Project Path=\"{p.Name}/{p.Name}.csproj\" />"))}</Solution>");
        Run(["build", "plugins.slnx", "-c", "Release", "--disable-build-servers"], sources);

        // The guide's layout: each plugin's build in a folder named like its assembly.
        PluginsFolder = Path.Combine(Root, "plugins");
        Directory.CreateDirectory(PluginsFolder);
        foreach (var (_, name) in Plugins)
            Directory.Move(Path.Combine(sources, name, "bin", "Release", "net10.0"), Path.Combine(PluginsFolder, name));
    }

    /// <summary>The temporary folder holding the feed, the hive, the sources, the builds and the packages.</summary>
    public string Root { get; }

    /// <summary>The version of the Rlvr.Abstractions package packed for this run.</summary>
    public string AbstractionsVersion { get; }

    /// <summary>The package folder the plugins restored into.</summary>
    public string Packages { get; }

    /// <summary>The folder of plugin folders that <c>--plugins</c> names.</summary>
    public string PluginsFolder { get; }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }                  // a plugin assembly may still be mapped; the OS cleans the temp folder
        catch (UnauthorizedAccessException) { }
    }

    // The longest step restores and builds four small projects from scratch: minutes on a busy machine.
    private static void Run(string[] arguments, string workingDirectory)
    {
        var result = ProcessRunner.Dotnet(arguments, workingDirectory, TimeSpan.FromMinutes(10));
        if (result.ExitCode != 0) throw new InvalidOperationException($"dotnet {string.Join(' ', arguments)} failed:\n{result}");
    }
}

public sealed class PluginTemplatesTests(PluginTemplatesFixture templates) : IClassFixture<PluginTemplatesFixture>
{
    [Fact]
    public void EachTemplateBuildsAgainstThePackedAbstractionsAndRlvrPluginsListsItsComponents()
    {
        Assert.True(Directory.Exists(Path.Combine(templates.Packages, "rlvr.abstractions", templates.AbstractionsVersion)), "the plugins restored the package packed by this test");
        foreach (var (_, name) in PluginTemplatesFixture.Plugins)
        {
            string folder = Path.Combine(templates.PluginsFolder, name);
            Assert.True(File.Exists(Path.Combine(folder, $"{name}.dll")), name);
            Assert.False(File.Exists(Path.Combine(folder, "Rlvr.Abstractions.dll")), $"{name}: the Abstractions are the host's and must not be copied");
            Assert.False(File.Exists(Path.Combine(folder, "TorchSharp.dll")), $"{name}: TorchSharp is the host's and must not be copied");
        }

        var result = ProcessRunner.Dotnet([Repository.CliAssembly, "plugins", "--strict", "--plugins", templates.PluginsFolder], Repository.Root, TimeSpan.FromMinutes(2));

        Assert.True(result.ExitCode == 0, result.ToString());
        foreach (var (_, name) in PluginTemplatesFixture.Plugins)
            Assert.Contains($"{name} 1.0.0", result.Output);
        Assert.Matches(@"task\s+repeated-addition\s+\[Tasks:RepeatedAddition\]", result.Output);
        Assert.Matches(@"verifier\s+repeated-addition\s", result.Output);
        Assert.Matches(@"reward\s+partial-credit\s+\[Rewards:PartialCredit\]", result.Output);
        Assert.Matches(@"advantage estimator\s+mean-baseline\s", result.Output);
        Assert.Matches(@"model architecture\s+two-token-window\s+\[Models:TwoTokenWindow\]", result.Output);
    }

    [Fact]
    public void TheTaskTemplateGeneratesProblemsItsVerifierScoresStepByStep()
    {
        using var host = Load();
        var catalog = host.Services.GetRequiredService<ComponentCatalog>();
        var task = catalog.Get<IProblemGenerator>("repeated-addition");
        var verifier = catalog.Get<IVerifier>("repeated-addition");

        var problem = task.Generate(3, new Random(7));
        Assert.Equal(problem, task.Generate(3, new Random(7)));
        Assert.Matches(@"^\d+\*3=$", problem.Prompt);
        var clean = verifier.Verify(problem, problem.Solution);
        Assert.True(clean.AllStepsCorrect);
        Assert.Equal(3, clean.Steps.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => task.Generate(9, new Random(7)));   // outside the default 2..5

        // 12*3 = 36. Line 2 slips (25, not 24); line 3 adds 12 to what line 2 wrote (37), so it is right: one wrong step.
        var byHand = new Problem("id", "12*3=", "12\n24\n36\n#36", "36", 3);
        var slipped = verifier.Verify(byHand, "12\n25\n37\n#37");
        Assert.Equal([new StepVerdict(0, 3, 1), new StepVerdict(3, 3, 0), new StepVerdict(6, 3, 1)], slipped.Steps);
        Assert.False(slipped.AnswerCorrect);
        Assert.Equal("37", slipped.Answer);
        Assert.Equal(Verification.Wrong, verifier.Verify(byHand, ""));
        Assert.False(verifier.Verify(byHand, "garbage\u0000#").AnswerCorrect);

        // Every step wrong, and the answer always the right one after a slip: each line is off by 1 to 9 from the last one plus 12.
        var noisy = task.WriteSolution(byHand, new SolutionNoise(1.0, 1.0), new Random(3));
        var verdict = verifier.Verify(byHand, noisy);
        Assert.True(verdict.AnswerCorrect, noisy);
        Assert.Equal(new[] { 0.0, 0.0, 0.0 }, verdict.Steps.Select(s => s.Score));
    }

    [Fact]
    public void TheRewardTemplateMixesTheAnswerWithTheShareOfRightSteps()
    {
        using var host = Load();
        var reward = host.Services.GetRequiredService<ComponentCatalog>().Get<IReward>("partial-credit");
        var problem = new Problem("id", "12*3=", "12\n24\n36\n#36", "36", 3);
        StepVerdict[] steps = [new(0, 3, 1), new(3, 3, 0), new(6, 3, 1), new(9, 3, 1)];

        // AnswerWeight 0.5 by default: 0.5 × 1 + 0.5 × 3/4 = 0.875 with the answer, 0.5 × 3/4 = 0.375 without.
        Assert.Equal(0.875, reward.Score(problem, "", new Verification(true, steps)).Value, 12);
        Assert.Equal(0.375, reward.Score(problem, "", new Verification(false, steps)).Value, 12);
        Assert.Equal(0.0, reward.Score(problem, "", Verification.Wrong).Value);
    }

    [Fact]
    public void TheEstimatorTemplateSubtractsTheGroupMean()
    {
        using var host = Load();
        var estimator = host.Services.GetRequiredService<ComponentCatalog>().Get<IAdvantageEstimator>("mean-baseline");
        using var scope = NewDisposeScope();

        // Group means 0.5 and 0.75; column 0 (the prompt) is off the mask.
        var mask = ones(8, 3).index_fill_(1, tensor(new long[] { 0 }), 0);
        var inputs = new AdvantageInputs(tensor(new float[] { 1, 0, 0, 1, 1, 1, 1, 0 }), zeros(8, 3), mask, 4,
            [.. Enumerable.Repeat<IReadOnlyList<Rlvr.Training.TokenReward>>([], 8)], null, new ObjectiveSettings());
        float[] perRow = [0.5f, -0.5f, -0.5f, 0.5f, 0.25f, 0.25f, 0.25f, -0.75f];
        Assert.Equal([.. perRow.SelectMany(a => new[] { 0f, a, a })], estimator.Estimate(inputs).Advantages.data<float>().ToArray());
    }

    [Fact]
    public void TheModelTemplateGivesTheSameLogitsWithAndWithoutItsCache()
    {
        using var host = Load();
        var architecture = host.Services.GetRequiredService<ComponentCatalog>().Get<IModelArchitecture>("two-token-window");
        using var scope = NewDisposeScope();
        using var model = architecture.Create(7, CPU, seed: 5);
        using var twin = architecture.Create(7, CPU, seed: 5);
        var tokens = tensor(new long[,] { { 1, 2, 3, 4, 5 }, { 6, 5, 4, 3, 2 } });

        var logits = model.Forward(tokens);
        Assert.Equal(new long[] { 2, 5, 7 }, logits.shape);
        Assert.Equal(logits.data<float>().ToArray(), twin.Forward(tokens).data<float>().ToArray());   // the same seed, the same model
        Assert.True(logits.allclose(model.Logits(model.Features(tokens))));

        // Row 1 is left-padded by one position: its real tokens 5, 4, 3, 2 must give the logits they give unpadded.
        using var cache = model.CreateDecodingState(tensor(new long[] { 0, 1 }), 5);
        var first = model.Forward(tokens.narrow(1, 0, 2), cache);
        cache.Repeat(2);                                                  // rows 0, 0, 1, 1
        cache.Select(tensor(new long[] { 0, 2 }));                        // back to rows 0, 1
        var rest = model.Forward(tokens.narrow(1, 2, 3), cache);
        var cached = cat([first, rest], 1);
        Assert.True(cached[0].allclose(logits[0], rtol: 1e-5, atol: 1e-6));
        Assert.True(cached[1].narrow(0, 1, 4).allclose(model.Forward(tokens.narrow(0, 1, 1).narrow(1, 1, 4)).squeeze(0), rtol: 1e-5, atol: 1e-6));
        Assert.Equal(5, cache.Length);
    }

    private IHost Load()
    {
        var builder = RlvrHostBuilder.Create(new RlvrHostSettings { PluginFolders = [templates.PluginsFolder] });
        Assert.Empty(builder.Plugins.Failed);
        return builder.Build();
    }
}

/// <summary>The templates' files, without building anything.</summary>
public sealed class PluginTemplateFilesTests
{
    [Fact]
    public void EveryTemplateBuildsAgainstTheRepositorysAbstractionsVersionByDefault()
    {
        var host = typeof(IRlvrPlugin).Assembly.GetName().Version!;
        var files = Directory.GetFiles(Path.Combine(Repository.Root, "Samples", "Templates", "content"), "template.json", SearchOption.AllDirectories);
        Assert.Equal(4, files.Length);
        foreach (string file in files)
        {
            using var json = JsonDocument.Parse(File.ReadAllText(file));
            string version = json.RootElement.GetProperty("symbols").GetProperty("RlvrVersion").GetProperty("defaultValue").GetString()!;
            Assert.Equal($"{host.Major}.{host.Minor}.{host.Build}", version);
        }
    }
}
