// Verifies a word problem's completion by its final number (FinalAnswer.cs): after the last "####", else in the
// last \boxed{}, else the last number anywhere in the completion. Steps are not verified: free-text reasoning has
// none this verifier could check, so Steps is empty (and the strict every-step outcome never holds).
using Rlvr.Tasks;

namespace Rlvr.Plugins.WordProblems;

internal sealed class WordProblemsVerifier : IVerifier
{
    public Verification Verify(Problem problem, string completion)
    {
        ArgumentNullException.ThrowIfNull(problem);
        if (string.IsNullOrEmpty(completion)) return Verification.Wrong;
        string? answer = FinalAnswer.LastNumber(FinalAnswer.Region(completion) ?? completion);
        return answer is null ? Verification.Wrong : new Verification(answer == problem.Answer, [], answer);
    }
}
