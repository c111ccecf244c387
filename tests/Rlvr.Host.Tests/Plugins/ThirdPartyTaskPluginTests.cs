// docs/plugin-authoring.md, step by step, on Samples/ThirdPartyPlugin (Contoso's base-conversion task): build the
// project on its own against Rlvr.Abstractions.dll into a folder named like its assembly, list it with
// `rlvr plugins`, check a study with `rlvr validate`, run a tiny study with `rlvr run`. Then the verifier and the
// generator, loaded through the host from that folder, on hand-written completions and generated problems.
using Microsoft.Extensions.DependencyInjection;
using Rlvr.Host.Plugins;
using Rlvr.Host.Tests.Support;
using Rlvr.Tasks;
using Rlvr.Tools;
using Rlvr.Training;

namespace Rlvr.Host.Tests.Plugins;

/// <summary>Builds Samples/ThirdPartyPlugin outside the repository, exactly as the guide says, once for the tests below.</summary>
public sealed class ThirdPartyTaskPluginFixture : IDisposable
{
    public const string Assembly = "Contoso.Rlvr.BaseConversion";

    public ThirdPartyTaskPluginFixture()
    {
        Root = Directory.CreateTempSubdirectory("rlvr-third-party-task-").FullName;
        string source = Path.Combine(Root, "src");
        foreach (string file in Directory.EnumerateFiles(Sample, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(Sample, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj")) continue;
            string target = Path.Combine(source, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        // The guide's build step: dotnet build -c Release -p:RlvrAbstractions=<the host's Rlvr.Abstractions.dll> -o plugins/<Assembly>
        Plugins = Path.Combine(Root, "plugins");
        Plugin = Path.Combine(Plugins, Assembly);
        string abstractions = typeof(IRlvrPlugin).Assembly.Location;
        Build = ProcessRunner.Dotnet(["build", $"{Assembly}.csproj", "-c", "Release", $"-p:RlvrAbstractions={abstractions}", "-o", Plugin, "--disable-build-servers"],
            source, TimeSpan.FromMinutes(3));
        if (Build.ExitCode != 0) throw new InvalidOperationException($"Building {Assembly} as the guide says failed:\n{Build}");
    }

    /// <summary>The sample in the repository.</summary>
    public static string Sample => Path.Combine(Repository.Root, "Samples", "ThirdPartyPlugin");

    /// <summary>The temporary folder holding the copied sources, the build and the runs.</summary>
    public string Root { get; }

    /// <summary>The folder of plugin folders that <c>--plugins</c> names.</summary>
    public string Plugins { get; }

    /// <summary>The plugin's own folder, named like its assembly.</summary>
    public string Plugin { get; }

    /// <summary>What <c>dotnet build</c> printed.</summary>
    internal ProcessRunner.Result Build { get; }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }                  // the plugin assembly may still be mapped; the OS cleans the temp folder
        catch (UnauthorizedAccessException) { }
    }
}

public sealed class ThirdPartyTaskPluginTests(ThirdPartyTaskPluginFixture plugin) : IClassFixture<ThirdPartyTaskPluginFixture>
{
    private static ProcessRunner.Result Rlvr(params string[] arguments) =>
        ProcessRunner.Dotnet([Repository.CliAssembly, .. arguments], Repository.Root, TimeSpan.FromMinutes(2));

    // ---- the guide's steps, through the real rlvr command

    [Fact]
    public void TheBuildHoldsThePluginAloneAndRlvrPluginsListsItsTaskAndVerifier()
    {
        Assert.True(File.Exists(Path.Combine(plugin.Plugin, $"{ThirdPartyTaskPluginFixture.Assembly}.dll")), plugin.Build.ToString());
        Assert.False(File.Exists(Path.Combine(plugin.Plugin, "Rlvr.Abstractions.dll")), "the Abstractions are the host's: the plugin folder must not carry a copy");

        var result = Rlvr("plugins", "--strict", "--plugins", plugin.Plugins);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"{ThirdPartyTaskPluginFixture.Assembly} 1.0.0", result.Output);
        Assert.Matches(@"task\s+base-conversion\s+\[Tasks:BaseConversion\]", result.Output);
        Assert.Matches(@"verifier\s+base-conversion", result.Output);
        Assert.Matches(@"tool\s+division", result.Output);
        Assert.Matches(@"task\s+arithmetic\s+\[Tasks:Arithmetic\]", result.Output);   // beside the built-in task
    }

    [Fact]
    public void ValidateAcceptsTheSampleStudyAndNamesEveryBadOptionByItsKey()
    {
        string study = Path.Combine(ThirdPartyTaskPluginFixture.Sample, "study.json");
        var valid = Rlvr("validate", study, "--plugins", plugin.Plugins);
        Assert.True(valid.ExitCode == 0, valid.ToString());
        Assert.Contains("is valid", valid.Output);

        var invalid = Rlvr("validate", study, "--plugins", plugin.Plugins, "--Tasks:BaseConversion:MaxBase=12", "--Tasks:BaseConversion:MinDifficulty=5");
        Assert.True(invalid.ExitCode == 1, invalid.ToString());
        Assert.Contains("Tasks:BaseConversion:MaxBase = '12'", invalid.Error);
        Assert.Contains("Tasks:BaseConversion:MinDifficulty must be <= Tasks:BaseConversion:MaxDifficulty", invalid.Error);

        var unknown = Rlvr("validate", study, "--plugins", plugin.Plugins, "--Tasks:BaseConversion:Radix=3");
        Assert.True(unknown.ExitCode == 1, unknown.ToString());
        Assert.Contains("Tasks:BaseConversion:Radix: unknown key", unknown.Error);

        var tooLong = Rlvr("validate", study, "--plugins", plugin.Plugins, "--Tasks:BaseConversion:MaxDifficulty=10");
        Assert.True(tooLong.ExitCode == 1, tooLong.ToString());
        Assert.Contains("Tasks:BaseConversion:MaxDifficulty is too large for Tasks:BaseConversion:MaxBase", tooLong.Error);
    }

    [Fact]
    public void ATinyStudyOnTheSampleStudyWithItsToolRunsThroughTheCliAndPrintsItsPassAtKTable()
    {
        string runs = Path.Combine(plugin.Root, "runs");
        string study = Path.Combine(ThirdPartyTaskPluginFixture.Sample, "study.json");

        var result = Rlvr("run", study, "--plugins", plugin.Plugins, $"--Run:RunRoot={runs}", "--Run:Threads=1",
            "--Models:Transformer:Layers=1", "--Models:Transformer:Width=32", "--Models:Transformer:Heads=2",
            "--Pretrain:TokenBudget=2000", "--Pretrain:BatchSize=16", "--Evaluation:Problems=6", "--Evaluation:Samples=4",
            "--Components:Tool=division");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("pass@k (answer)", result.Output);
        Assert.Matches(@"(?m)^\s+1\s+\d\.\d{3} \[", result.Output);
        Assert.Matches(@"(?m)^\s+4\s+\d\.\d{3} \[", result.Output);
        Assert.Matches(@"(?m)^\s+difficulty\s+problems", result.Output);
        string run = Path.Combine(runs, "third-party-task", "base", "seed-1");
        Assert.True(File.Exists(Path.Combine(run, "evaluation.json")), result.ToString());
        Assert.True(File.Exists(Path.Combine(run, "base.json")), result.ToString());
        Assert.Contains("Components:Tool=division", File.ReadAllText(Path.Combine(run, "base.json")));   // the third party's tool, in the loop
    }

    // ---- the components themselves, loaded through the host from the plugin folder

    private sealed class Components : IDisposable
    {
        private readonly Microsoft.Extensions.Hosting.IHost _host;

        public Components(string folder)
        {
            var builder = RlvrHostBuilder.Create(new RlvrHostSettings { UseDefaultPluginFolder = false, PluginFolders = [folder] });
            Assert.Empty(builder.Plugins.Failed);
            _host = builder.Build();
            var catalog = _host.Services.GetRequiredService<ComponentCatalog>();
            Task = catalog.Get<IProblemGenerator>("base-conversion");
            Verifier = catalog.Get<IVerifier>("base-conversion");
            Tool = catalog.Get<ITool>("division");
        }

        public IProblemGenerator Task { get; }
        public IVerifier Verifier { get; }
        public ITool Tool { get; }

        public void Dispose() => _host.Dispose();
    }

    // 45 = 101101 in base 2; its six lines are 10, 10, 9, 8, 8 and 8 characters long, each with its '\n'.
    private static readonly Problem s_problem = new("hand", "45>2?", "45/2=22r1\n22/2=11r0\n11/2=5r1\n5/2=2r1\n2/2=1r0\n1/2=0r1\n#101101", "101101", 6);
    private static readonly (int Start, int Length)[] s_spans = [(0, 10), (10, 10), (20, 9), (29, 8), (37, 8), (45, 8)];

    private static void AssertSteps(Verification verification, params double[] scores)
    {
        Assert.Equal(s_spans.Length, verification.Steps.Count);
        for (int i = 0; i < s_spans.Length; i++)
            Assert.Equal(new StepVerdict(s_spans[i].Start, s_spans[i].Length, scores[i]), verification.Steps[i]);
    }

    [Fact]
    public void TheWorkedSolutionIsTheDocumentedFormatAndVerifiesEveryStep()
    {
        using var c = new Components(plugin.Plugin);
        Assert.Equal(s_problem.Solution, c.Task.WriteSolution(s_problem, SolutionNoise.None, new Random(1)));

        var v = c.Verifier.Verify(s_problem, s_problem.Solution);

        Assert.True(v.AnswerCorrect);
        Assert.True(v.AllStepsCorrect);
        Assert.Equal("101101", v.Answer);
        AssertSteps(v, 1, 1, 1, 1, 1, 1);
    }

    [Fact]
    public void AWrongStepIsTheOnlyWrongStepWhenTheLinesAfterItContinueHonestly()
    {
        using var c = new Components(plugin.Plugin);
        // Line 1 writes the quotient 21 instead of 22; the rest converts 21 faithfully, so the answer is 2 * 21 + 1 = 43.
        var v = c.Verifier.Verify(s_problem, "45/2=21r1\n21/2=10r1\n10/2=5r0\n5/2=2r1\n2/2=1r0\n1/2=0r1\n#101011");

        Assert.False(v.AnswerCorrect);
        Assert.Equal("101011", v.Answer);
        Assert.Equal(new[] { 0.0, 1, 1, 1, 1, 1 }, v.Steps.Select(s => s.Score));
    }

    [Fact]
    public void AWrongStepWithTheRightAnswerVerifiesTheAnswerButNotEveryStep()
    {
        using var c = new Components(plugin.Plugin);
        var v = c.Verifier.Verify(s_problem, "45/2=22r0\n22/2=11r0\n11/2=5r1\n5/2=2r1\n2/2=1r0\n1/2=0r1\n#101101");

        Assert.True(v.AnswerCorrect);
        Assert.False(v.AllStepsCorrect);
        AssertSteps(v, 0, 1, 1, 1, 1, 1);
    }

    [Theory]
    [InlineData("#101100", "101100")]     // a wrong digit
    [InlineData("#0101101", "0101101")]   // a leading zero is not the answer as written
    [InlineData("#", "")]
    public void AWrongAnswerAfterRightStepsIsWrongAndReportedAsWritten(string answerLine, string written)
    {
        using var c = new Components(plugin.Plugin);
        var v = c.Verifier.Verify(s_problem, s_problem.Solution[..s_problem.Solution.IndexOf('#')] + answerLine);

        Assert.False(v.AnswerCorrect);
        Assert.Equal(written, v.Answer);
        AssertSteps(v, 1, 1, 1, 1, 1, 1);
    }

    [Fact]
    public void AStepInAnotherBaseOrWithAWrongRemainderIsWrong()
    {
        using var c = new Components(plugin.Plugin);
        var v = c.Verifier.Verify(s_problem, "45/3=15r0\n22/2=11r2\n11/2=5r1\n");

        Assert.False(v.AnswerCorrect);
        Assert.Null(v.Answer);
        Assert.Equal(new[] { 0.0, 0, 1 }, v.Steps.Select(s => s.Score));
    }

    [Fact]
    public void ACompletionThatStopsBeforeItsAnswerLineIsWrongWithItsStepsStillScored()
    {
        using var c = new Components(plugin.Plugin);
        var v = c.Verifier.Verify(s_problem, "45/2=22r1\n22/2");

        Assert.False(v.AnswerCorrect);
        Assert.Null(v.Answer);
        Assert.Equal([new StepVerdict(0, 10, 1), new StepVerdict(10, 4, 0)], v.Steps);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n\n")]
    [InlineData("hello")]
    [InlineData("22/2")]
    [InlineData("99999999999999999999/2=1r1\n#1")]
    [InlineData("-45/2=-22r-1\n#-101101")]
    [InlineData("45/0=0r45\n0/2=0r0\n#\u0000\uffff")]
    public void GarbageIsScoredWrongAndNeverThrown(string completion)
    {
        using var c = new Components(plugin.Plugin);
        var v = c.Verifier.Verify(s_problem, completion);

        Assert.False(v.AnswerCorrect);
        Assert.All(v.Steps, step => Assert.True(step.Length > 0 && !step.Correct));
        var huge = c.Verifier.Verify(s_problem, new string('7', 200_000) + "\n" + string.Concat(Enumerable.Repeat("1/2=0r1\n", 5_000)));
        Assert.False(huge.AnswerCorrect);
    }

    [Fact]
    public void TheDivisionToolAnswersEveryStepOfTheWorkedSolutionAndRefusesWhatIsNoDivision()
    {
        using var c = new Components(plugin.Plugin);
        Assert.Equal("=", c.Tool.CallEnd);
        Assert.Equal(ToolReply.Of("22r1"), c.Tool.Reply("45/2="));
        Assert.Equal(ToolReply.Of("5r1"), c.Tool.Reply("45/2=22r1\n22/2=11r0\n11/2="));
        Assert.Equal(ToolReply.Of("0r7"), c.Tool.Reply("45>9?7/9="));               // a written trace: prompt, then the call
        Assert.Null(c.Tool.Reply("45/2=22r1\n"));                                 // no call: sampling simply goes on
        Assert.NotNull(c.Tool.Reply("45/1=")?.Error);                              // base 1
        Assert.NotNull(c.Tool.Reply("45+2=")?.Error);
        Assert.NotNull(c.Tool.Reply("=")?.Error);
        Assert.NotNull(c.Tool.Reply("1234567890/2=")?.Error);                      // longer than any number of the task

        // In a written trace every quotient and remainder is the tool's: the model reads them and never learns to write them.
        var outputs = ToolTrace.Outputs(c.Tool, s_problem.Prompt + s_problem.Solution);
        Assert.Equal(["22r1", "11r0", "5r1", "2r1", "1r0", "0r1"], outputs.Select(r => (s_problem.Prompt + s_problem.Solution)[r]));
    }

    [Fact]
    public void AProblemOfAnotherTaskHasItsAnswerCheckedAndItsStepsScoredZero()
    {
        using var c = new Components(plugin.Plugin);
        var v = c.Verifier.Verify(new Problem("other", "47+1+20+24=", "", "92", 4), "1/2=0r1\n#92");

        Assert.True(v.AnswerCorrect);
        Assert.Equal(new[] { 0.0 }, v.Steps.Select(s => s.Score));
        Assert.Throws<ArgumentException>(() => c.Task.WriteSolution(new Problem("other", "47+1+20+24=", "", "92", 4), SolutionNoise.None, new Random(1)));
    }

    [Fact]
    public void GeneratedProblemsAreReproducibleFitA96TokenContextAndTheirSolutionsVerify()
    {
        using var c = new Components(plugin.Plugin);
        Assert.Equal(new DifficultyRange(2, 5), c.Task.Difficulties);
        Assert.Throws<ArgumentOutOfRangeException>(() => c.Task.Generate(6, new Random(1)));
        Assert.Equal(c.Task.Generate(4, new Random(7)), c.Task.Generate(4, new Random(7)));

        var random = new Random(3);
        for (int difficulty = 2; difficulty <= 5; difficulty++)
            for (int i = 0; i < 300; i++)
            {
                var problem = c.Task.Generate(difficulty, random);
                Assert.Equal(difficulty, problem.Answer.Length);
                Assert.All(problem.Prompt + problem.Solution, ch => Assert.Contains(ch, c.Task.Alphabet));
                Assert.InRange(problem.Prompt.Length + problem.Solution.Length + 2, 1, 96);   // with BOS and EOS
                Assert.Equal(problem.Solution, c.Task.WriteSolution(problem, SolutionNoise.None, random));
                var v = c.Verifier.Verify(problem, problem.Solution);
                Assert.True(v.AllStepsCorrect, $"{problem.Prompt} {problem.Solution}");
                Assert.Equal(difficulty, v.Steps.Count);
            }
    }

    [Fact]
    public void NoisySolutionsHaveTheAskedShareOfWrongStepsAndRepairedOnesEndRight()
    {
        using var c = new Components(plugin.Plugin);
        var random = new Random(11);
        int steps = 0, wrong = 0, slipped = 0, slippedButRight = 0;
        for (int i = 0; i < 1500; i++)
        {
            var problem = c.Task.Generate(random.Next(2, 6), random);
            bool repair = i % 2 == 0;
            var v = c.Verifier.Verify(problem, c.Task.WriteSolution(problem, new SolutionNoise(0.2, repair ? 1 : 0), random));
            steps += v.Steps.Count;
            int bad = v.Steps.Count(s => !s.Correct);
            wrong += bad;
            if (repair) Assert.True(v.AnswerCorrect, problem.Prompt);
            else if (bad > 0) { slipped++; if (v.AnswerCorrect) slippedButRight++; }
        }
        Assert.InRange((double)wrong / steps, 0.17, 0.23);
        Assert.InRange((double)slippedButRight / slipped, 0.0, 0.05);   // only slips that cancel end right when the work continues from them
    }
}
