namespace Rlvr.Tasks;

/// <summary>Checks a completion of a problem: its final answer, and each of its steps.</summary>
/// <remarks>
/// Malformed completions are scored, never thrown on: a verifier that cannot parse a completion reports a wrong
/// answer. Implementations are thread-safe. The host still guards every call, and scores a throwing call 0.
/// </remarks>
public interface IVerifier
{
    /// <summary>Verifies <paramref name="completion"/> as an answer to <paramref name="problem"/>.</summary>
    Verification Verify(Problem problem, string completion);
}
