// Partial credit: AnswerWeight × (1 if the answer is right) + (1 − AnswerWeight) × the share of steps the verifier
// scored right. Sound work that ends at a wrong answer earns something; an answer without work earns less. The host
// sums the rewards a study selects, with their weights; return StepRewards as well for process supervision.
using Microsoft.Extensions.Options;
using Rlvr.Rewards;
using Rlvr.Tasks;

namespace Company.RlvrPlugin;

public sealed class StarterReward(IOptions<StarterOptions> options) : IReward
{
    private readonly double _answerWeight = options.Value.AnswerWeight;   // read once: options do not change after start

    public RewardScore Score(Problem problem, string completion, Verification verification)
    {
        var steps = verification.Steps;
        double rightSteps = steps.Count == 0 ? 0.0 : steps.Count(step => step.Correct) / (double)steps.Count;
        return new RewardScore(_answerWeight * verification.Score + (1 - _answerWeight) * rightSteps);
    }
}
