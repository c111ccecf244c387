// "terminal": the outcome reward of RLVR, 1 when the final answer verifies and 0 otherwise (DeepSeek-R1's accuracy
// reward, arXiv:2501.12948; Tülu 3's RLVR, arXiv:2411.15124).
using Rlvr.Tasks;

namespace Rlvr.Rewards.Functions;

internal sealed class TerminalReward : IReward
{
    // Stateless, so thread-safe; a missing verification counts as a wrong answer rather than an exception.
    public RewardScore Score(Problem problem, string completion, Verification verification) =>
        new(verification?.AnswerCorrect == true ? 1.0 : 0.0);
}
