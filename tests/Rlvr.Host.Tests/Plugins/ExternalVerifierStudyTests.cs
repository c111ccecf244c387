// A tiny study (pretrain, evaluate, six GRPO steps, evaluate) verified by the Python sample through the "external"
// verifier, against the same study verified by the C# arithmetic verifier. Sampling is seeded, so the two studies
// draw the same completions; every verdict feeds the rewards, the updates and the evaluations, so any disagreement
// on any completion would show in the metrics or the per-problem results.
using Rlvr.Host.Tests.Support;

namespace Rlvr.Host.Tests.Plugins;

[Collection(SerialStudiesCollection.Name)]
public sealed class ExternalVerifierStudyTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("rlvr-external-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void ATinyGrpoStudyVerifiedByThePythonSampleMatchesTheArithmeticVerifierEverywhere()
    {
        string sample = Path.Combine(Repository.Root, "Samples", "ExternalVerifier", "verifier.py");
        var csharp = TinyStudy.Run(TinyStudy.WithGrpoArm(Path.Combine(_root, "csharp"), "--Pretrain:TokenBudget=40000")).Seeds.Single();
        var python = TinyStudy.Run(TinyStudy.WithGrpoArm(Path.Combine(_root, "python"), "--Pretrain:TokenBudget=40000",
            "--Components:Verifier=external", "--Verifiers:External:Command=python3", $"--Verifiers:External:Arguments:0={sample}")).Seeds.Single();

        var (csharpArm, pythonArm) = (csharp.Arms.Single(), python.Arms.Single());
        Assert.Equal(0, python.Base.Evaluation.VerifierErrors + pythonArm.Evaluation.VerifierErrors);
        Assert.Equal(TinyStudy.Results(csharp.Base.Evaluation), TinyStudy.Results(python.Base.Evaluation));
        Assert.Equal(TinyStudy.Results(csharpArm.Evaluation), TinyStudy.Results(pythonArm.Evaluation));
        Assert.Equal(TinyStudy.TrainMetrics(csharpArm.RunFolder), TinyStudy.TrainMetrics(pythonArm.RunFolder));

        // Not agreement by default: the samples hold right answers, and wrong ones with steps the verifiers scored.
        var problems = csharp.Base.Evaluation.PerProblem.Concat(csharpArm.Evaluation.PerProblem).ToList();
        Assert.Contains(problems, p => p.Correct > 0);
        Assert.Contains(problems, p => p.WrongCompletions?.Any(w => w.Steps.Count > 0) == true);
    }
}
