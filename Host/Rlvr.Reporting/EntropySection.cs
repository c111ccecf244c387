// Section 7: answer entropy (spread of final answers over all samples of a problem) beside token entropy (the
// policy's per-token entropy while training, from metrics.jsonl). Answer entropy needs answer counts per problem,
// which evaluations record only from the evaluator version that writes ProblemResult.AnswerCounts.
namespace Rlvr.Reporting;

internal static class EntropySection
{
    private const int Window = 10;
    private const string NotRecorded = "not recorded";

    public static IEnumerable<ReportBlock> Build(ReportContext context)
    {
        yield return new ReportBlock.Heading(2, "7. Answer entropy and token entropy");
        var arms = context.EvaluatedArms;
        var answer = arms.ToDictionary(arm => arm, arm => context.PerSeed(arm).Select(AnswerEntropy.Mean).ToList());
        bool recorded = answer.Values.Any(seeds => seeds.Any(h => h is not null));
        yield return new ReportBlock.Paragraph(
            "Answer entropy is H = −Σ p_a ln p_a over the distinct final answers a of one problem's n samples (nats; 0 when every sample gives the same " +
            "answer), averaged over problems and seeds. Token entropy is the policy's mean per-token entropy on its training rollouts (metrics.jsonl " +
            $"\"entropy\", nats), averaged over the first and the last {Window} logged steps (each half where fewer than {2 * Window} were logged) " +
            "and over seeds. Sharpening lowers both.");
        if (!recorded)
            yield return new ReportBlock.Paragraph(
                "**Answer entropy: not recorded.** These evaluations store only the correct completions (evaluation.json, CorrectCompletions), not the " +
                "final answer of every sample, so the spread over answers cannot be computed. It appears here once the evaluator writes each problem's " +
                "answer counts (ProblemResult.AnswerCounts: each distinct final answer of the n samples with its count).");
        yield return new ReportBlock.Table(["run", "answer entropy", "token entropy, first steps", "token entropy, last steps"],
            [.. arms.Select(arm =>
            {
                var h = answer[arm];
                var tokens = TrainingCurve.Of(arm, "entropy", [.. context.Study.Evaluated(arm).Select(r => r.Metrics)]);
                return (IReadOnlyList<string>)[arm,
                    h.All(x => x is not null) ? ReportContext.MeanOverSeeds([.. h.Select(x => x!.Value)]) : NotRecorded,
                    tokens is null ? NotRecorded : ReportFormat.Number(tokens.Ends(Window).First),
                    tokens is null ? NotRecorded : ReportFormat.Number(tokens.Ends(Window).Last)];
            })]);
    }
}
