using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Rlvr.Host.Configuration;
using Rlvr.Host.Runs;
using Rlvr.Host.Studies;
using Rlvr.Host.Training;

namespace Rlvr.Host.Tests.Studies;

/// <summary>Arms: each with its own configuration, run in dependency order, checked as a whole, and run end to end.</summary>
public sealed class StudyTests
{
    private static readonly string[] s_components =
        ["--Components:Model=transformer", "--Components:Tokenizer=char", "--Components:Task=arithmetic", "--Components:Verifier=arithmetic"];

    private static RlvrHostBuilder Builder(params string[] overrides) =>
        RlvrHostBuilder.Create(new RlvrHostSettings { Overrides = [.. s_components, .. overrides] });

    [Fact]
    public void ArmsRunAfterTheArmTheyStartFrom()
    {
        var study = new StudyRunner(Builder("--Arms:a:Train:From=c", "--Arms:b:Components:Algorithm=grpo", "--Arms:c:Train:From=b",
            "--Arms:a:Components:Algorithm=grpo", "--Arms:c:Components:Algorithm=sft"));
        Assert.Equal(["b", "c", "a"], study.ArmsInOrder());
    }

    [Fact]
    public void AnUnknownStartAndACycleAreErrorsNamingTheKey()
    {
        var unknown = Assert.Throws<ConfigurationErrorsException>(() => new StudyRunner(Builder("--Arms:a:Train:From=zz")).ArmsInOrder());
        Assert.StartsWith("Arms:a:Train:From = 'zz': no such arm", Assert.Single(unknown.Errors));
        var cycle = Assert.Throws<ConfigurationErrorsException>(() => new StudyRunner(Builder("--Arms:a:Train:From=b", "--Arms:b:Train:From=a")).ArmsInOrder());
        Assert.Contains("cycle", Assert.Single(cycle.Errors));
    }

    [Fact]
    public void AnArmOverridesOnlyItsOwnOptions()
    {
        var builder = Builder("--Algorithms:Grpo:LearningRate=0.001", "--Arms:slow:Algorithms:Grpo:LearningRate=0.00001", "--Arms:slow:Components:Algorithm=grpo",
            "--Arms:fast:Components:Algorithm=grpo", "--Arms:slow:Train:Steps=7");
        using var slow = builder.BuildArm("slow");
        using var fast = builder.BuildArm("fast");
        // The plugin's options type lives in its own load context; what it binds from is the arm's configuration.
        string? Rate(IServiceProvider services) => services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()["Algorithms:Grpo:LearningRate"];
        Assert.Equal("0.00001", Rate(slow.Services));
        Assert.Equal("0.001", Rate(fast.Services));
        Assert.Equal(7, slow.Services.GetRequiredService<IOptions<TrainOptions>>().Value.Steps);
        Assert.Equal(new TrainOptions().Steps, fast.Services.GetRequiredService<IOptions<TrainOptions>>().Value.Steps);
    }

    [Fact]
    public void ValidationCoversEveryArmAndSaysWhichArm()
    {
        var builder = Builder("--Arms:good:Components:Algorithm=grpo", "--Arms:bad:Components:Algorithm=grpo", "--Arms:bad:Algorithms:Grpo:ClipLow=7");
        using var root = builder.Build();
        var error = Assert.Single(new StudyRunner(builder).Validate(root));
        Assert.StartsWith("Arms:bad → Algorithms:Grpo:ClipLow = '7'", error);
    }

    [Fact]
    public void ATinyStudyTrainsEveryArmAndReusesItsBase()
    {
        string root = Directory.CreateTempSubdirectory("rlvr-study-").FullName;
        try
        {
            string[] study =
            [
                "--Models:Transformer:Layers=1", "--Models:Transformer:Width=32", "--Models:Transformer:Heads=2", "--Models:Transformer:ContextLength=32",
                "--Tasks:Arithmetic:MaxDifficulty=2", "--Tasks:Arithmetic:MaxOperand=9", "--Pretrain:TokenBudget=20000", "--Pretrain:BatchSize=16",
                "--Evaluation:Problems=6", "--Evaluation:Samples=4", "--Train:Steps=2", "--Train:CheckpointEvery=1", $"--Run:RunRoot={root}",
                "--Algorithms:Grpo:PromptsPerStep=2", "--Algorithms:Grpo:GroupSize=4", "--Algorithms:GrpoProcess:PromptsPerStep=2", "--Algorithms:Ppo:PromptsPerStep=2",
                "--Arms:sft:Components:Algorithm=sft", "--Arms:grpo:Components:Algorithm=grpo", "--Arms:grpo:Train:From=sft",
                "--Arms:ppo:Components:Algorithm=ppo", "--Arms:process:Components:Algorithm=grpo-process", "--Arms:process:Components:Rewards:0=process",
            ];
            var builder = Builder(study);
            using var host = builder.Build();
            var result = new StudyRunner(builder).Run(host);

            Assert.Equal(["ppo", "process", "sft", "grpo"], result.Arms.Select(a => a.Arm));
            foreach (var arm in result.Arms)
            {
                Assert.Equal(6, arm.Evaluation.Problems);
                Assert.True(File.Exists(arm.ModelPath), arm.Arm);
                Assert.True(File.Exists(Path.Combine(arm.RunFolder, "metrics.jsonl")), arm.Arm);
                Assert.Equal(2, arm.Training.Steps);
                Assert.Equal(result.Base.Evaluation.PerProblem.Select(p => p.Id), arm.Evaluation.PerProblem.Select(p => p.Id));   // the base's held-out set
            }
            Assert.True(result.Arms.Single(a => a.Arm == "process").Training.Last.ContainsKey("step_verified_accuracy"));
            Assert.True(result.Arms.Single(a => a.Arm == "ppo").Training.Last.ContainsKey("value_loss"));
            Assert.Empty(Directory.GetDirectories(Path.Combine(result.Arms[0].RunFolder, CheckpointStore.Folder), "*.tmp"));

            // The same base configuration again: the base is reused, not retrained.
            var modelTime = File.GetLastWriteTimeUtc(result.Base.ModelPath);
            var again = Builder([.. study, "--Train:Steps=1", "--Arms:ppo:Train:Steps=0"]);
            using var hostAgain = again.Build();
            var second = new StudyRunner(again).Run(hostAgain);
            Assert.Equal(modelTime, File.GetLastWriteTimeUtc(second.Base.ModelPath));
            Assert.Equal(result.Base.Evaluation.PassAtK[0].Answer.Mean, second.Base.Evaluation.PassAtK[0].Answer.Mean);
            Assert.Equal(result.Base.Pretraining.Steps, second.Base.Pretraining.Steps);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
