using Rlvr.Tasks;

namespace Rlvr.Rewards;

/// <summary>Turns a verified completion into a reward: terminal, strict, step-level, or shaped.</summary>
/// <remarks>
/// Implementations are thread-safe. A reward that throws or returns NaN for a sample is logged with the sample and
/// scored 0 by the host; the step goes on.
/// </remarks>
public interface IReward
{
    /// <summary>Scores <paramref name="completion"/> of <paramref name="problem"/>, given its verification.</summary>
    RewardScore Score(Problem problem, string completion, Verification verification);
}
