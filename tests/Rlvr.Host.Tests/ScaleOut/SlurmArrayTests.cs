using Rlvr.Host.Configuration;
using Rlvr.ScaleOut;
using Rlvr.Host.Studies;
using Rlvr.Host.Tests.Support;

namespace Rlvr.Host.Tests.ScaleOut;

/// <summary>The sbatch script of a study and the checks before anything is queued, against a scripted Slurm.</summary>
public sealed class SlurmArrayTests : IDisposable
{
    private readonly string _root = SharedTestFolder.Create("slurm-array");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private StudySubmission Study(string? runRoot = null) => new("sweep", runRoot ?? _root, """{ "Run": { "Name": "sweep" } }""",
        [new StudyTask(0, 1, "grpo"), new StudyTask(1, 1, "ppo"), new StudyTask(2, 2, "grpo"), new StudyTask(3, 2, "ppo")],
        ["/opt/dotnet/dotnet", "/opt/rlvr/rlvr.dll"], ["/shared/my plugins"]);

    // A Slurm that answers sinfo with one partition and records every call.
    private sealed class FakeSlurm
    {
        public List<string> Calls { get; } = [];
        public string? Script { get; private set; }
        public CommandResult TestOnly { get; init; } = new(0, "", "sbatch: Job 7 to start at now");

        public CommandResult Run(string program, IReadOnlyList<string> arguments, string? input = null)
        {
            Calls.Add($"{program} {string.Join(' ', arguments)}");
            if (program == "sinfo") return new(0, "debug* 1\ngpu 3\ngpu 1\n", "");
            if (arguments.Contains("--test-only")) { Script = input; return TestOnly; }
            return new(0, "4242;cluster\n", "");
        }
    }

    [Fact]
    public void TheScriptIsOneRequeueableArrayTaskPerStudyTask()
    {
        string script = new SlurmArray(Study(), new SlurmResources { Partition = "gpu", GpusPerRun = 2, CpusPerRun = 8, Time = "04:00:00", MaxRunning = 3 }).Script();

        string[] lines = script.Split('\n');
        Assert.Equal("#!/bin/bash", lines[0]);
        Assert.Contains("#SBATCH --array=0-3%3", lines);
        Assert.Contains("#SBATCH --requeue", lines);
        Assert.Contains("#SBATCH --open-mode=append", lines);   // a requeued task appends to its output file
        Assert.Contains($"#SBATCH --output={_root}/sweep/slurm/%A_%a.out", lines);
        Assert.Contains("#SBATCH --partition=gpu", lines);
        Assert.Contains("#SBATCH --gres=gpu:2", lines);
        Assert.Contains("#SBATCH --cpus-per-task=8", lines);
        Assert.Contains("#SBATCH --time=04:00:00", lines);
        Assert.Contains($"exec '/opt/dotnet/dotnet' '/opt/rlvr/rlvr.dll' 'run' '{_root}/sweep/study.json' '--index' \"${{SLURM_ARRAY_TASK_ID}}\" " +
                        "'--plugins' '/shared/my plugins' --Run:Threads=${SLURM_CPUS_PER_TASK}", lines);
        Assert.Contains("#       3  ppo               seed 2", lines);
        // Every #SBATCH line comes before the first command, or sbatch ignores it.
        int firstCommand = Array.FindIndex(lines, l => l.Length > 0 && !l.StartsWith('#'));
        Assert.True(Array.FindLastIndex(lines, l => l.StartsWith("#SBATCH", StringComparison.Ordinal)) < firstCommand);
    }

    [Fact]
    public void LeftOutResourcesAreLeftToTheCluster()
    {
        string script = new SlurmArray(Study(), new SlurmResources()).Script();

        Assert.Contains("#SBATCH --array=0-3\n", script);
        Assert.DoesNotContain("--partition", script);
        Assert.DoesNotContain("--gres", script);
        Assert.DoesNotContain("--time", script);
        Assert.DoesNotContain("Run:Threads", script);
    }

    [Fact]
    public void SubmitChecksThenWritesTheStudyAndQueuesTheScript()
    {
        var slurm = new FakeSlurm();
        var array = new SlurmArray(Study(), new SlurmResources { Partition = "debug" }, slurm.Run);

        string id = array.Submit();

        Assert.Equal("4242", id);
        Assert.Equal(["sinfo --noheader --format=%P %D", "sbatch --test-only", $"sbatch --parsable {array.ScriptFile}"], slurm.Calls);
        Assert.Equal(slurm.Script, File.ReadAllText(array.ScriptFile));
        Assert.Equal("""{ "Run": { "Name": "sweep" } }""", File.ReadAllText(Path.Combine(_root, "sweep", "study.json")));
    }

    [Fact]
    public void AnUnknownPartitionFailsBeforeAnythingIsQueued()
    {
        var slurm = new FakeSlurm();

        var error = Assert.Throws<ConfigurationErrorsException>(() => new SlurmArray(Study(), new SlurmResources { Partition = "gpus" }, slurm.Run).Submit());

        Assert.Contains("--partition gpus: no such partition; this cluster has debug, gpu", error.Message);
        Assert.DoesNotContain(slurm.Calls, c => c.StartsWith("sbatch", StringComparison.Ordinal));
        Assert.False(Directory.Exists(Path.Combine(_root, "sweep")));
    }

    [Fact]
    public void AScriptSbatchRefusesIsNotQueued()
    {
        var slurm = new FakeSlurm { TestOnly = new(1, "", "sbatch: error: Batch job submission failed: Requested time limit is invalid (missing or exceeds some limit)") };

        var error = Assert.Throws<ConfigurationErrorsException>(() => new SlurmArray(Study(), new SlurmResources { Time = "99-00" }, slurm.Run).Submit());

        Assert.Contains("nothing was queued", error.Message);
        Assert.Contains("Requested time limit is invalid", error.Message);
        Assert.DoesNotContain(slurm.Calls, c => c.Contains("--parsable", StringComparison.Ordinal));
    }

    [Fact]
    public void ARunRootOnScratchSpaceFailsBeforeAnythingIsQueued()
    {
        var slurm = new FakeSlurm();

        var error = Assert.Throws<ConfigurationErrorsException>(() => new SlurmArray(Study("/tmp/runs"), new SlurmResources(), slurm.Run).Submit());

        Assert.Contains("Run:RunRoot: the run root /tmp/runs is under /tmp", error.Message);
        Assert.DoesNotContain(slurm.Calls, c => c.StartsWith("sbatch", StringComparison.Ordinal));
    }

    [Fact]
    public void AStudyThatFailsValidationIsNotPrepared()
    {
        string config = Path.Combine(_root, "bad.json");
        File.WriteAllText(config, """{ "Components": { "Model": "transformer", "Tokenizer": "char", "Task": "arithmetic", "Verifier": "arithmetic" }, "Arms": { "x": { "Components": { "Algorithm": "nope" } } } }""");

        var error = Assert.Throws<ConfigurationErrorsException>(() => StudySubmission.Prepare(new RlvrHostSettings { ConfigFile = config }, ["rlvr"]));

        Assert.Contains(error.Errors, e => e.Contains("Arms:x", StringComparison.Ordinal) && e.Contains("nope", StringComparison.Ordinal));
    }
}
