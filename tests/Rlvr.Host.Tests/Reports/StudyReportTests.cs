using System.Globalization;
using Rlvr.Host.Evaluation;
using Rlvr.Reporting;
using Rlvr.Host.Studies;
using static Rlvr.Host.Tests.Reports.Problems;

using Rlvr.Host.Runs;

namespace Rlvr.Host.Tests.Reports;

/// <summary>A fake study written to disk, reported, and its numbers read back from report.md.</summary>
public sealed class StudyReportTests
{
    // Seeded per-problem counts: a base with n = 16 and an arm with n = 8, or 16 for the equal-n case.
    private static ProblemResult[] Counted(int seed, int n, int problems = 24)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, problems).Select(i => Counts($"p{i:D2}", n, random.Next(3) == 0 ? 0 : random.Next(n + 1), difficulty: 2 + i % 3))];
    }

    private static (StudyData Study, string Markdown, string Html) Report(FakeStudy folder, SupportLikelihood? likelihood = null)
    {
        var study = StudyLoader.Load(folder.Folder);
        var (markdown, html) = StudyReport.Write(study, likelihood ?? SupportLikelihood.NotAvailable("no model in this test"));
        return (study, File.ReadAllText(markdown), File.ReadAllText(html));
    }

    [Fact]
    public void ThePassAtKTableHoldsTheMeansOfTheStoredCounts()
    {
        var baseProblems = Counted(1, 16);
        var armProblems = Counted(2, 8);
        using var folder = new FakeStudy().Run("base", 1, Evaluated(baseProblems)).Run("rl", 1, Evaluated(armProblems),
            metrics: [FakeStudy.Train(1, 0.2, 0.5), FakeStudy.Train(2, 0.4, 0.4)]);
        var (_, markdown, _) = Report(folder);

        var table = MarkdownTables.After(markdown, "## 1. pass@k curves");
        Assert.Equal(["k", "base", "rl"], table.Header);
        foreach (var row in table.Rows)
        {
            int k = int.Parse(row[0], CultureInfo.InvariantCulture);
            Assert.Equal(baseProblems.Average(p => PassAtK.Estimate(p.Samples, p.Correct, k)), MarkdownTables.Mean(row[1]), precision: 3);
            if (k <= 8) Assert.Equal(armProblems.Average(p => PassAtK.Estimate(p.Samples, p.Correct, k)), MarkdownTables.Mean(row[2]), precision: 3);
            else Assert.Equal("–", row[2]);
        }
        Assert.Equal([1, 2, 4, 8, 16], table.Rows.Select(r => int.Parse(r[0], CultureInfo.InvariantCulture)));
        Assert.Contains("**Unequal n.**", markdown);
    }

    [Fact]
    public void TheStepVerifiedPassAtKCountsOnlySamplesWithEveryStepRight()
    {
        // n = 4. Base: 3 right answers, 1 with its steps right, on each problem; arm: 2 right answers, both with their steps right.
        // Step-verified pass@1 = 1/4 (base) and 2/4 (arm); pass@4 = 1 for both; answer-only pass@1 = 3/4 and 2/4.
        ProblemResult Problem(string id, int correct, int verified) => Counts(id, 4, correct) with { StepVerified = verified };
        var baseline = Evaluated(Problem("a", 3, 1), Problem("b", 3, 1));
        var arm = Evaluated(Problem("a", 2, 2), Problem("b", 2, 2));
        using var folder = new FakeStudy().Run("base", 1, baseline).Run("rl", 1, arm);
        var (_, markdown, _) = Report(folder);

        var answers = MarkdownTables.After(markdown, "## 1. pass@k curves").Rows;
        Assert.Equal([0.75, 0.5], answers[0].Skip(1).Select(MarkdownTables.Mean));
        var verified = MarkdownTables.After(markdown, "### pass@k with every step verified").Rows;
        Assert.Equal(["1", "2", "4"], verified.Select(r => r[0]));
        Assert.Equal([0.25, 0.5], verified[0].Skip(1).Select(MarkdownTables.Mean));
        Assert.Equal(1 - 3.0 / 4 * 2 / 3, MarkdownTables.Mean(verified[1][1]), precision: 3);   // base: 1 − C(3,2)/C(4,2)
        Assert.Equal([1.0, 1.0], verified[2].Skip(1).Select(MarkdownTables.Mean));
        Assert.Contains("pass-at-k-step-verified.png", markdown);
        // Said of any task, not of the arithmetic one: the section reads alike for every task.
        string why = markdown[markdown.IndexOf("### pass@k with every step verified", StringComparison.Ordinal)..].Split("\n\n")[1];
        Assert.StartsWith("Sections 1 and 2 count a sample as right when its final answer is. Where a task has few possible answers,", why);
        Assert.DoesNotContain("sum", why);
        var byDifficulty = MarkdownTables.After(markdown, "The same, with a sample counted as right only when").Rows;
        Assert.Equal([0.25, 1.0, 0.5, 1.0], byDifficulty.SelectMany(r => new[] { r[4], r[5] }).Select(MarkdownTables.Mean));   // base, then rl; pass@1 and pass@4
    }

    [Fact]
    public void CrossoverGainedAndLostMatchTheComparisonOfTheStoredCounts()
    {
        var baseline = Evaluated(Counted(3, 16));
        var arm = Evaluated(Counted(4, 16));
        using var folder = new FakeStudy().Run("base", 1, baseline).Run("rl", 1, arm);
        var (_, markdown, _) = Report(folder);
        var comparison = ArmComparison.Of(baseline, arm);

        var crossover = MarkdownTables.After(markdown, "## 2. Crossover k").Rows.Single();
        Assert.Equal(comparison.Order.Short(), crossover[2]);
        Assert.Equal(crossover[2], crossover[3]);   // one seed: its crossover is the mean's

        var coverage = MarkdownTables.After(markdown, "## 3. Coverage, problems gained and lost").Rows.Single();
        Assert.Equal(comparison.Gained.Count.ToString(CultureInfo.InvariantCulture), coverage[6]);
        Assert.Equal(comparison.Lost.Count.ToString(CultureInfo.InvariantCulture), coverage[7]);
        Assert.Equal(baseline.Coverage, double.Parse(coverage[4], CultureInfo.InvariantCulture), precision: 3);
        Assert.Equal(arm.Coverage, double.Parse(coverage[5], CultureInfo.InvariantCulture), precision: 3);
        Assert.DoesNotContain("**Unequal n.**", markdown);
    }

    [Fact]
    public void EverySectionIsThereAndWhatIsMissingIsSaid()
    {
        using var folder = new FakeStudy().Run("base", 1, Evaluated(Counted(5, 8)), """{"Evaluation":{"Samples":"8"}}""")
            .Run("rl", 1, Evaluated(Counted(6, 8)), """{"Evaluation":{"Samples":"8"},"Components":{"Algorithm":"grpo"}}""", FakeStudy.Train(1, 0.2, 0.5));
        var (_, markdown, html) = Report(folder);

        for (int section = 1; section <= 9; section++) Assert.Contains($"## {section}. ", markdown);
        Assert.Contains("Not computed: no model in this test.", markdown);
        Assert.Contains("**Answer entropy: not recorded.**", markdown);
        Assert.Contains("| `Components:Algorithm` | – | grpo |", markdown);
        Assert.Contains(SoftwareVersion.Current.Rlvr, markdown);
        Assert.Contains("<strong>Answer entropy: not recorded.</strong>", html);
    }

    [Fact]
    public void TheReportNamesItsRunsRelativeToTheStudyFolderAndLeavesTheRunRootOut()
    {
        string root = Path.Combine(Path.GetTempPath(), "elsewhere", "runs");
        using var folder = new FakeStudy().Run("base", 1, Evaluated(Counted(5, 8)), $$$"""{"Run":{"Name":"fake-study","RunRoot":"{{{root}}}"}}""")
            .Run("rl", 1, Evaluated(Counted(6, 8)), $$$"""{"Run":{"Name":"fake-study","RunRoot":"{{{root}}}"}}""");
        var (study, markdown, html) = Report(folder);

        Assert.Contains("Runs read from the study folder this report lies in (`fake-study/`)", markdown);
        Assert.Contains("\"Name\": \"fake-study\"", markdown);
        foreach (string text in new[] { markdown, html })
        {
            Assert.DoesNotContain(Path.GetDirectoryName(study.Folder)!, text);
            Assert.DoesNotContain(root, text);
        }
    }

    // Seed s: the base solves problem p (p + s) mod 9 times in 8; the arm one more (two more in odd seeds), so every seed
    // gains at pass@1 and gains the problems its base never solved.
    private static FakeStudy RaisedInEverySeed(int seeds)
    {
        var study = new FakeStudy();
        for (int s = 1; s <= seeds; s++)
        {
            int seed = s;
            study.Run("base", seed, Evaluated([.. Enumerable.Range(0, 24).Select(p => Counts($"p{p:D2}", 8, (p + seed) % 9))]))
                 .Run("rl", seed, Evaluated([.. Enumerable.Range(0, 24).Select(p => Counts($"p{p:D2}", 8, Math.Min(8, (p + seed) % 9 + 1 + seed % 2)))]));
        }
        return study;
    }

    [Fact]
    public void WithFiveSeedsTheOverviewGivesTheHolmAdjustedPairedVerdictAndTheGainedAndLostSignTest()
    {
        using var folder = RaisedInEverySeed(5);
        var (_, markdown, _) = Report(folder);

        var verdicts = MarkdownTables.After(markdown, "**Verdicts.**");
        Assert.Equal(["arm", "metric", "seeds", "d̄ (arm − base)", "95% CI", "t-test p", "sign-flip p", "d_z", "Holm p", "verdict"], verdicts.Header);
        Assert.Equal(["pass@1", "pass@8"], verdicts.Rows.Select(r => r[1]));
        Assert.All(verdicts.Rows, r => Assert.StartsWith("higher (d = +", r[9]));
        Assert.All(verdicts.Rows, r => Assert.Equal("0.063", r[6]));   // all five seeds up: the sign flip's floor 2/2⁵ = 0.0625
        var gainedAndLost = MarkdownTables.After(markdown, "| arm | seed | gained");
        // Section 1's paired table at every k: its pass@1 and pass@8 rows are the overview's numbers.
        var perK = MarkdownTables.After(markdown, "| arm | k | seeds");
        Assert.Equal(["1", "2", "4", "8"], perK.Rows.Select(r => r[1]));
        Assert.Equal(verdicts.Rows.Select(r => string.Join("|", r.Skip(2).Take(6))), new[] { perK.Rows[0], perK.Rows[^1] }.Select(r => string.Join("|", r.Skip(2).Take(6))));
        Assert.Equal(["arm", "seed", "gained", "lost", "sign-test p"], gainedAndLost.Header);
        Assert.Equal(["rl", "pooled", "12", "0", "<0.001"], gainedAndLost.Rows[^1]);   // 2, 2, 2, 3, 3 problems the base never solved
        Assert.Equal(["rl", "1", "2", "0", "0.500"], gainedAndLost.Rows[0]);
    }

    [Fact]
    public void AStudyWithFewerSeedsThanAVerdictNeedsStillReportsAndSaysWhyThereIsNone()
    {
        using var folder = RaisedInEverySeed(3);
        var (_, markdown, _) = Report(folder);

        var verdicts = MarkdownTables.After(markdown, "**Verdicts.**");
        Assert.All(verdicts.Rows, r => Assert.StartsWith("no verdict (3 seeds; a verdict needs 5): d = +", r[9]));
        Assert.All(verdicts.Rows, r => Assert.Equal("–", r[8]));   // not tested, so not adjusted
        Assert.Contains("A verdict needs 5 seeds: at 3, t has 2 degrees of freedom", markdown);
    }

    [Fact]
    public void PassAtKByDifficultyGivesEachRunAtItsOwnNAndEachArmAgainstTheBaseAtTheSmallerN()
    {
        // Base n = 4, arm n = 2, two seeds, difficulties 2 and 3 (the counts of DifficultyPassAtKTests' gap case).
        // Base at n = 4: difficulty 2 pass@1 1/4, 0 and pass@4 1, 0; difficulty 3 pass@1 1/2, 1 and pass@4 1, 1.
        // Arm at n = 2: difficulty 2 pass@1 1/2, 1 and pass@2 1, 1; difficulty 3 pass@1 0, 1/2 and pass@2 0, 1.
        using var folder = new FakeStudy()
            .Run("base", 1, Evaluated(Counts("a", 4, 1, difficulty: 2), Counts("b", 4, 2, difficulty: 3)))
            .Run("base", 2, Evaluated(Counts("a", 4, 0, difficulty: 2), Counts("b", 4, 4, difficulty: 3)))
            .Run("rl", 1, Evaluated(Counts("a", 2, 1, difficulty: 2), Counts("b", 2, 0, difficulty: 3)))
            .Run("rl", 2, Evaluated(Counts("a", 2, 2, difficulty: 2), Counts("b", 2, 1, difficulty: 3)));
        var (study, markdown, html) = Report(folder);

        var runs = MarkdownTables.After(markdown, "## 4. pass@k by difficulty");
        Assert.Equal(["run", "difficulty", "n", "problems", "pass@1", "pass@n"], runs.Header);
        Assert.Equal<IReadOnlyList<string>>(
        [
            ["base", "2", "4", "1", "0.125 (0.000–0.250)", "0.500 (0.000–1.000)"],
            ["base", "3", "4", "1", "0.750 (0.500–1.000)", "1.000 (1.000–1.000)"],
            ["rl", "2", "2", "1", "0.750 (0.500–1.000)", "1.000 (1.000–1.000)"],
            ["rl", "3", "2", "1", "0.250 (0.000–0.500)", "0.500 (0.000–1.000)"],
        ], runs.Rows);
        var gaps = MarkdownTables.After(markdown, "### Arm minus base").Rows;
        // Two seeds: each row gives d̄ and the t-interval (1 df) but no verdict. Difficulty 2, pass@1: d_s = 0.25 and 1,
        // so d̄ ± 12.706 · 0.375; difficulty 3, pass@1: −0.5 in both seeds, no spread.
        Assert.Equal<IReadOnlyList<string>>(
        [
            ["rl", "2", "2", "1", "+0.625 (0.250–1.000)", "+0.750 (0.500–1.000)"],
            ["rl", "3", "2", "1", "-0.500 (-0.500–-0.500)", "-0.417 (-0.833–0.000)"],
        ], gaps.Take(2).Select(r => r.Take(6).ToList()));
        Assert.Equal("no verdict (2 seeds; a verdict needs 5): d = +0.625, 95% CI [-4.140, +5.390]", gaps[0][6]);
        Assert.Equal("no verdict (2 seeds; a verdict needs 5): d = -0.500", gaps[1][6]);
        // Both problems of each seed together: pass@1 gaps (+1/4 − 1/2)/2 and (1 − 1/2)/2, pass@2 (1/2 − 5/6)/2 and (1 + 0)/2.
        Assert.Equal(["rl", "all", "2", "2", "+0.062 (-0.125–0.250)", "+0.167 (-0.167–0.500)"], gaps[2].Take(6));
        Assert.Equal(3, gaps.Count);

        Assert.Contains($"]({StudyReport.FigureFolder}/pass-at-k-by-difficulty.png)", markdown);
        Assert.True(File.Exists(Path.Combine(study.Folder, StudyReport.FigureFolder, "pass-at-k-by-difficulty.png")));
        Assert.Contains("pass@1 (solid) and pass@2 (dashed, lighter)", html);
        Assert.True(markdown.IndexOf("## 3. Coverage", StringComparison.Ordinal) < markdown.IndexOf("## 4. pass@k by difficulty", StringComparison.Ordinal));
        Assert.True(markdown.IndexOf("## 4. pass@k by difficulty", StringComparison.Ordinal) < markdown.IndexOf("## 5. Answer accuracy", StringComparison.Ordinal));
    }

    [Fact]
    public void AnswerEntropyIsShownWhenTheEvaluationRecordedAnswers()
    {
        var answers = new Dictionary<string, int> { ["7"] = 2, ["8"] = 2 };
        using var folder = new FakeStudy()
            .Run("base", 1, Evaluated(With("p", 4, new Dictionary<string, int> { ["7"] = 2 }, answers: answers)))
            .Run("rl", 1, Evaluated(With("p", 4, new Dictionary<string, int> { ["7"] = 4 }, answers: new Dictionary<string, int> { ["7"] = 4 })));
        var (_, markdown, _) = Report(folder);
        var table = MarkdownTables.After(markdown, "## 7. Answer entropy and token entropy");
        Assert.Equal(ReportFormat.Number(Math.Log(2)), table.Rows[0][1]);
        Assert.Equal("0.000", table.Rows[1][1]);
        Assert.DoesNotContain("Answer entropy: not recorded", markdown);
    }

    [Fact]
    public void TheTrainingRewardChangeIsReadAgainstTheStepToStepSpread()
    {
        // Eight steps: first quarter {0.1, 0.2}, last quarter {0.6, 0.7}: change +0.5, half-width 1.96·√(0.005/2 · 2) ≈ 0.139.
        double[] rising = [0.1, 0.2, 0.3, 0.3, 0.4, 0.5, 0.6, 0.7];
        double[] flat = [0.3, 0.1, 0.3, 0.1, 0.3, 0.1, 0.3, 0.1];
        using var folder = new FakeStudy().Run("base", 1, Evaluated(Counted(7, 16)))
            .Run("up", 1, Evaluated(Counted(8, 8)), metrics: [.. rising.Select((r, i) => FakeStudy.Train(i + 1, r, 0.5))])
            .Run("flat", 1, Evaluated(Counted(8, 8)), metrics: [.. flat.Select((r, i) => FakeStudy.Train(i + 1, r, 0.5))]);
        var (_, markdown, _) = Report(folder);
        var table = MarkdownTables.After(markdown, "Training reward, last quarter");
        var up = table.Rows.Single(r => r[0] == "up");
        Assert.Equal(["up", "1", "0.150", "0.650", "+0.500 [+0.361, +0.639]", "rose"], up);
        Assert.Equal("no detectable change", table.Rows.Single(r => r[0] == "flat")[5]);   // 0.2 → 0.2 with a spread of 0.1
    }

    [Fact]
    public void TheSoftwareEachRunsStatusRecordsIsShownAndARunWithoutItIsNamed()
    {
        using var folder = new FakeStudy().Run("base", 1, Evaluated(Counted(7, 8))).Run("rl", 1, Evaluated(Counted(8, 8))).Run("rl", 2, Evaluated(Counted(9, 8)));
        var software = new SoftwareVersion("9.8.7+feedbeef", "feedbeef", "0.99.1", ".NET 42.0.0", "Plan 9");
        foreach (string run in new[] { "base/seed-1", "rl/seed-1" })
            File.WriteAllText(Path.Combine(folder.Folder, run, RunStatus.File), System.Text.Json.JsonSerializer.Serialize(
                new RunStatus("fake-study", run[..run.IndexOf('/')], 1, "done", RunStatus.Finished, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, null, "0", software)));
        var (_, markdown, _) = Report(folder);

        var table = MarkdownTables.After(markdown, "## 9. ");
        Assert.Equal(["Rlvr 9.8.7+feedbeef (git commit feedbeef), TorchSharp 0.99.1, .NET 42.0.0, Plan 9", "base/seed-1, rl/seed-1"], table.Rows.Single());
        Assert.Contains("No status.json with the software that computed it: rl/seed-2.", markdown);
        Assert.DoesNotContain("do not record the version", markdown);
    }

    [Fact]
    public void UnderTwentyStepsTheTrainingAndEntropyTablesCompareTheFirstHalfWithTheSecond()
    {
        using var folder = new FakeStudy().Run("base", 1, Evaluated(Counted(7, 8)))
            .Run("rl", 1, Evaluated(Counted(8, 8)), metrics: [.. Enumerable.Range(0, 12).Select(i => FakeStudy.Train(i + 1, i, i))]);
        var (_, markdown, _) = Report(folder);

        var row = MarkdownTables.After(markdown, "## 8. Training curves").Rows.Single(r => r[0] == "rl");
        Assert.Equal(["rl", "12", "2.500 → 8.500", "2.500 → 8.500"], row.Take(4));   // steps 1–6 against 7–12, not 1–10 against 3–12
        var entropy = MarkdownTables.After(markdown, "## 7. ").Rows.Single(r => r[0] == "rl");
        Assert.Equal(["2.500", "8.500"], entropy.Skip(2));                               // token entropy over the same halves
    }

    [Fact]
    public void TheTrainingSectionTablesUpdatesPerBatchAndClipFractionsAveragedOverStepsAndSeeds()
    {
        static string Step(int step, double clipHigh) =>
            $$"""{"stage":"train","step":{{step}},"time":1.5,"reward_mean":0.5,"updates":4,"clip_high":{{clipHigh}},"clip_low":0}""";
        using var folder = new FakeStudy().Run("base", 1, Evaluated(Counted(7, 8))).Run("base", 2, Evaluated(Counted(7, 8)))
            .Run("dapo", 1, Evaluated(Counted(8, 8)), metrics: [Step(1, 0.1), Step(2, 0.3)])
            .Run("dapo", 2, Evaluated(Counted(8, 8)), metrics: [Step(1, 0.2), Step(2, 0.2)])
            .Run("sft", 1, Evaluated(Counted(8, 8)), metrics: [FakeStudy.Train(1, 0.5, 0.1)]);
        var (_, markdown, _) = Report(folder);

        var table = MarkdownTables.After(markdown, "Optimiser steps per rollout batch");
        Assert.Equal(["arm", "updates", "clip_high", "clip_low"], table.Header);
        Assert.Equal(["dapo", "4.000", "0.20000", "0.00000"], table.Rows.Single());       // (0.1 + 0.3) / 2 and (0.2 + 0.2) / 2, then over seeds; sft logs none
    }

    [Fact]
    public void EachRunShowsRightAndWrongCompletionsWithTheVerifiersStepVerdicts()
    {
        var solved = Counts("p00", 8, 3) with
        {
            WrongCompletions = [new WrongCompletion("3+4=8\n#8", "8", [new Rlvr.Tasks.StepVerdict(0, 6, 0)], 2), new WrongCompletion("#9", "9", [], 3)],
        };
        using var folder = new FakeStudy().Run("base", 1, Evaluated(solved, Counts("p01", 8, 0) with { WrongCompletions = [] }))
            .Run("rl", 1, Evaluated(Counts("p00", 8, 8), Counts("p01", 8, 1)));
        var (_, markdown, _) = Report(folder);

        var samples = markdown[markdown.IndexOf("### Sample completions", StringComparison.Ordinal)..markdown.IndexOf("## 6. ", StringComparison.Ordinal)];
        string baseText = samples[samples.IndexOf("**base**", StringComparison.Ordinal)..samples.IndexOf("**rl**", StringComparison.Ordinal)];
        Assert.Contains("right: p00= (difficulty 2, answer 7), sampled 3 of 8\np00:path\n#7", baseText.Replace("\r", ""));
        Assert.Contains("wrong: p00= (difficulty 2, answer 7), gave 9, sampled 3 of 8\n#9\n  steps: none parsed", baseText);
        Assert.DoesNotContain("3+4=8", baseText);                                   // the most sampled wrong completion is shown
        Assert.Contains("not recorded by this evaluation", samples[samples.IndexOf("**rl**", StringComparison.Ordinal)..]);
    }

    [Fact]
    public void EveryPlotIsAPngFileAndEmbeddedInTheHtml()
    {
        using var folder = new FakeStudy().Run("base", 1, Evaluated(Counted(7, 16)))
            .Run("rl", 1, Evaluated(Counted(8, 8)), metrics: [FakeStudy.Train(1, 0.2, 0.5), FakeStudy.Train(2, 0.3, 0.45), FakeStudy.Train(3, 0.5, 0.4)]);
        var (study, markdown, html) = Report(folder);

        var pngs = Directory.GetFiles(Path.Combine(study.Folder, StudyReport.FigureFolder), "*.png");
        Assert.Contains(pngs, p => p.EndsWith("pass-at-k.png", StringComparison.Ordinal));
        Assert.Contains(pngs, p => p.EndsWith("training-reward_mean.png", StringComparison.Ordinal));
        byte[] signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
        foreach (string png in pngs)
        {
            var bytes = File.ReadAllBytes(png);
            Assert.True(bytes.Length > 8 * 1024, $"{png}: {bytes.Length} bytes");
            Assert.Equal(signature, bytes[..8]);
            Assert.Contains($"]({StudyReport.FigureFolder}/{Path.GetFileName(png)})", markdown);
        }
        Assert.Equal(pngs.Length, html.Split("src=\"data:image/png;base64,").Length - 1);
    }
}
