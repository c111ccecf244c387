// "process": a step-level reward from the verifier's step verdicts (process supervision, Lightman et al.
// arXiv:2305.20050; GRPO-process in DeepSeekMath, arXiv:2402.03300). Each step's reward sits at the end of its span;
// the answer, when included, is one more step ending at the completion's last character. The sequence-level value
// stays the answer's 0/1, so outcome-only estimators see the terminal reward.
using Microsoft.Extensions.Options;
using Rlvr.Tasks;

namespace Rlvr.Rewards.Functions;

internal sealed class ProcessReward(IOptions<ProcessRewardOptions> options) : IReward
{
    private readonly ProcessRewardOptions _options = options.Value;   // read once: options are immutable after start

    public RewardScore Score(Problem problem, string completion, Verification verification)
    {
        int length = completion?.Length ?? 0;
        bool answerCorrect = verification?.AnswerCorrect == true;
        var verdicts = verification?.Steps ?? [];

        var steps = new List<StepReward>(verdicts.Count + 1);
        foreach (var verdict in verdicts)
            steps.Add(new StepReward(Math.Clamp(verdict.End, 0, length), StepValue(verdict.Correct)));   // a span past the text ends at its end
        if (_options.IncludeAnswer)
            steps.Add(new StepReward(length, StepValue(answerCorrect)));
        return new RewardScore(answerCorrect ? 1.0 : 0.0, steps);
    }

    private double StepValue(bool correct) => correct ? _options.CorrectStep : _options.WrongStep;
}
