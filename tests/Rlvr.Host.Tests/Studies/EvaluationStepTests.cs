using System.Text.Json;
using Rlvr.Host.Runs;
using Rlvr.Host.Studies;
using Rlvr.Host.Tests.Support;

namespace Rlvr.Host.Tests.Studies;

/// <summary>The evaluation's scalars sit at the last step of the stage that made the model, where TensorBoard ends its training curves.</summary>
public sealed class EvaluationStepTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("rlvr-eval-step-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static List<(string Stage, long Step)> Records(string runFolder) =>
        [.. File.ReadLines(Path.Combine(runFolder, RunPaths.MetricsFile))
            .Select(line => JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(line)!)
            .Select(r => (r["stage"].GetString()!, r["step"].GetInt64()))];

    [Fact]
    public void TheEvaluationIsLoggedAtTheLastPretrainingOrTrainingStep()
    {
        string[] overrides = [.. TinyStudy.Overrides(_root), "--Train:Steps=3", "--Run:Threads=1", "--Seeds:0=1", "--Arms:grpo:Components:Algorithm=grpo"];
        var builder = RlvrHostBuilder.Create(new RlvrHostSettings { Overrides = overrides });
        using var host = builder.Build();
        var study = new StudyRunner(builder).Run(host);

        var baseRecords = Records(study.Base.RunFolder);
        Assert.Equal(study.Base.Pretraining.Steps, baseRecords.Where(r => r.Stage == "pretrain").Max(r => r.Step));
        Assert.Equal(study.Base.Pretraining.Steps, baseRecords.Single(r => r.Stage == "eval").Step);
        Assert.Equal(3, Records(study.Arms.Single().RunFolder).Single(r => r.Stage == "eval").Step);
    }
}
