using Rlvr.Reporting;
using static Rlvr.Host.Tests.Reports.Problems;

namespace Rlvr.Host.Tests.Reports;

public sealed class SupportLikelihoodTests
{
    private const string Alphabet = "0123456789+=#\n:p";   // p: the fake problems' prompts are "p="

    [Fact]
    public void ACompletionsLogLikelihoodSumsItsTokensAndEosButNotThePrompt()
    {
        var tokenizer = new CharTokenizer(Alphabet);
        var model = new UniformModel(tokenizer.VocabularySize);
        using (var scorer = new BaseLogLikelihood(model, tokenizer))
        {
            var scores = scorer.Score([("3+4=", "7\n#7"), ("12+1=", "13"), ("1=", "")], batchSize: 2);
            double lnV = Math.Log(tokenizer.VocabularySize);
            Assert.Equal(-5 * lnV, scores[0], precision: 4);   // 4 characters + EOS
            Assert.Equal(-3 * lnV, scores[1], precision: 4);
            Assert.Equal(-1 * lnV, scores[2], precision: 4);   // EOS alone
            Assert.Equal(2, model.Calls);                        // batched: 3 items in batches of 2
        }
        Assert.True(model.Disposed);
    }

    [Fact]
    public void EverySamplesScoreComesFromTheBaseOfItsSeedWeightedByItsCount()
    {
        using var folder = new FakeStudy()
            .Run("base", 1, Evaluated(With("p", 8, new Dictionary<string, int> { ["1"] = 3, ["22"] = 1 })))
            .Run("rl", 1, Evaluated(With("p", 8, new Dictionary<string, int> { ["22"] = 6 })));
        var study = StudyLoader.Load(folder.Folder);
        var tokenizer = new CharTokenizer(Alphabet);
        double lnV = Math.Log(tokenizer.VocabularySize);

        var likelihood = SupportLikelihood.Compute(study, _ => new BaseLogLikelihood(new UniformModel(tokenizer.VocabularySize), tokenizer));
        Assert.Null(likelihood.Missing);
        var own = likelihood.Arms.Single(a => a.Arm == "base");
        var rl = likelihood.Arms.Single(a => a.Arm == "rl");
        Assert.Equal(4, own.Total);
        Assert.Equal((3 * -2 * lnV + 1 * -3 * lnV) / 4, own.Mean, precision: 4);
        Assert.Equal(-2 * lnV, own.Quantile(0.5), precision: 4);
        Assert.Equal(6, rl.Total);
        Assert.Equal(-3 * lnV, rl.Mean, precision: 4);
    }

    [Fact]
    public void ABaseThatCannotBeLoadedIsReportedNotThrown()
    {
        using var folder = new FakeStudy().Run("base", 1, Evaluated(Counts("p", 4, 1)));
        var study = StudyLoader.Load(folder.Folder);
        var likelihood = SupportLikelihood.Compute(study, run => throw new FileNotFoundException($"{run.ModelPath} is missing"));
        Assert.Empty(likelihood.Arms);
        Assert.Contains("model.bin is missing", likelihood.Missing);
    }
}
