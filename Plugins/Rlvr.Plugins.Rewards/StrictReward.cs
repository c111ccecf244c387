// "strict": the strict-outcome baseline of process supervision, 1 only when the answer and every step verify
// (docs/algorithms.md). A right answer reached through a wrong step scores 0.
using Rlvr.Tasks;

namespace Rlvr.Rewards.Functions;

internal sealed class StrictReward : IReward
{
    // Verification.AllStepsCorrect, written out so that a verification with null steps scores 0 instead of throwing.
    public RewardScore Score(Problem problem, string completion, Verification verification) =>
        new(verification is { AnswerCorrect: true, Steps: { Count: > 0 } steps } && steps.All(s => s.Correct) ? 1.0 : 0.0);
}
