// Section 5, continued: a few right and a few wrong completions of each run, so that a reader sees what the numbers
// count and how the model fails. Right ones are the most sampled correct text of a problem; wrong ones come from the
// bounded sample evaluation keeps per problem, with the verifier's verdict on each step.
using System.Globalization;
using System.Text;
using Rlvr.Host.Evaluation;

namespace Rlvr.Reporting;

internal static class CompletionsSection
{
    /// <summary>Right and wrong completions shown per run.</summary>
    public const int Shown = 3;

    public static IEnumerable<ReportBlock> Build(ReportContext context)
    {
        yield return new ReportBlock.Heading(3, "Sample completions, right and wrong");
        yield return new ReportBlock.Paragraph(
            $"For each run, its first evaluated seed: the most sampled right completion of the first {Shown} problems it solved, and the most " +
            $"sampled wrong completion of the first {Shown} problems it got wrong, with the answer given and each written step as the verifier " +
            "judged it (✓ right, ✗ wrong). evaluation.json keeps the first few distinct wrong completions of every problem.");
        foreach (string arm in context.EvaluatedArms)
        {
            var run = context.Study.Evaluated(arm)[0];
            yield return new ReportBlock.Paragraph($"**{arm}** (seed {run.Seed})");
            yield return new ReportBlock.Code(Samples(run.Evaluation!.PerProblem));
        }
    }

    /// <summary>The text of a run's samples: right ones first, then wrong ones, or a line saying that none were recorded.</summary>
    public static string Samples(IReadOnlyList<ProblemResult> problems)
    {
        var text = new StringBuilder();
        var right = problems.Where(p => p.CorrectCompletions.Count > 0).Take(Shown).ToList();
        if (right.Count == 0) text.AppendLine("right: none of the problems was solved.");
        foreach (var p in right)
        {
            var (completion, count) = p.CorrectCompletions.MaxBy(c => c.Value);
            text.AppendLine($"right: {Problem(p)}, sampled {Of(count, p)}").AppendLine(completion.TrimEnd()).AppendLine();
        }
        if (problems.All(p => p.WrongCompletions is null))
            return text.Append("wrong: not recorded by this evaluation (evaluation.json from before wrong completions were kept).").ToString();
        var wrong = problems.Where(p => p.WrongCompletions is { Count: > 0 }).Take(Shown).ToList();
        if (wrong.Count == 0) text.AppendLine("wrong: every sample of every problem was right.");
        foreach (var p in wrong)
        {
            var w = p.WrongCompletions!.MaxBy(c => c.Count)!;
            text.AppendLine($"wrong: {Problem(p)}, gave {(w.Answer.Length > 0 ? w.Answer : "no answer")}, sampled {Of(w.Count, p)}")
                .AppendLine(w.Text.TrimEnd())
                .AppendLine($"  steps: {(w.Steps.Count == 0 ? "none parsed" : string.Join("  ", w.Steps.Select(s => $"{(s.Correct ? "✓" : "✗")} {Span(w.Text, s)}")))}")
                .AppendLine();
        }
        return text.ToString().TrimEnd();
    }

    private static string Problem(ProblemResult p) => $"{p.Prompt.Trim()} (difficulty {p.Difficulty}, answer {p.Answer})";

    private static string Of(int count, ProblemResult p) => $"{count.ToString(CultureInfo.InvariantCulture)} of {p.Samples.ToString(CultureInfo.InvariantCulture)}";

    // A step's characters on one line; a verdict whose span runs past the text shows what there is.
    private static string Span(string text, Rlvr.Tasks.StepVerdict step)
    {
        int start = Math.Clamp(step.Start, 0, text.Length);
        string written = text[start..Math.Clamp(step.End, start, text.Length)].Trim().Replace('\n', ' ');
        return written.Length > 0 ? written : "(blank)";
    }
}
