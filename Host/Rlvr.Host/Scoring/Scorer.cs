// Verifies and rewards completions without ever failing a run: a verifier or reward function that throws, or a
// reward that is not finite, scores the sample 0, is counted, and the first few cases are logged with the sample.
using Microsoft.Extensions.Logging;
using Rlvr.Rewards;
using Rlvr.Tasks;

namespace Rlvr.Host.Scoring;

/// <summary>A weighted reward function, by its component name.</summary>
public sealed record WeightedReward(string Name, IReward Reward, double Weight);

/// <summary>The verdict and rewards of one completion.</summary>
/// <param name="Verification">The verifier's verdict (wrong when it threw).</param>
/// <param name="Combined">Σ weight·reward, with the step rewards of every function, weighted, in character order.</param>
/// <param name="ByFunction">Each reward function's own value.</param>
public sealed record Score(Verification Verification, RewardScore Combined, IReadOnlyList<double> ByFunction);

/// <summary>Scores completions with a verifier and weighted reward functions, containing their failures.</summary>
public sealed class Scorer(IVerifier verifier, IReadOnlyList<WeightedReward> rewards, ILogger logger)
{
    private const int LoggedFailures = 10;

    /// <summary>How many verifier or reward calls failed so far.</summary>
    public int Failures { get; private set; }

    /// <summary>The verifier's verdict; wrong when it throws.</summary>
    public Verification Verify(Problem problem, string completion)
    {
        try
        {
            return verifier.Verify(problem, completion) ?? throw new InvalidOperationException("The verifier returned null.");
        }
        catch (Exception e)
        {
            Fail(e, "verifier", problem, completion);
            return Verification.Wrong;
        }
    }

    /// <summary>Verifies <paramref name="completion"/> and applies every reward function.</summary>
    /// <param name="malformed">Whether the completion is known to be malformed (a failed tool call ended it): it is
    /// then not verified but scored as <see cref="Verification.Wrong"/>.</param>
    public Score Score(Problem problem, string completion, bool malformed = false)
    {
        var verification = malformed ? Verification.Wrong : Verify(problem, completion);
        var values = new double[rewards.Count];
        double total = 0;
        var steps = new List<StepReward>();
        for (int i = 0; i < rewards.Count; i++)
        {
            var (name, reward, weight) = rewards[i];
            RewardScore? score;
            try
            {
                score = reward.Score(problem, completion, verification);
                if (score is null || !double.IsFinite(score.Value) || score.Steps?.Any(s => !double.IsFinite(s.Value)) == true)
                    throw new ArithmeticException($"The reward is {(score is null ? "null" : $"{score.Value} with steps [{string.Join(", ", score.Steps?.Select(s => s.Value) ?? [])}]")}.");
            }
            catch (Exception e)
            {
                Fail(e, $"reward '{name}'", problem, completion);
                continue;                                                   // scored 0
            }
            values[i] = score.Value;
            total += weight * score.Value;
            if (score.Steps is not null) steps.AddRange(score.Steps.Select(s => s with { Value = weight * s.Value }));
        }
        return new Score(verification, new RewardScore(total, steps.Count > 0 ? [.. steps.OrderBy(s => s.End)] : null), values);
    }

    private void Fail(Exception e, string what, Problem problem, string completion)
    {
        if (Failures++ < LoggedFailures)
            logger.LogWarning(e, "The {What} failed on problem {ProblemId} for completion {Completion}; scored 0", what, problem.Id, completion);
        else if (Failures == LoggedFailures + 1)
            logger.LogWarning("More verifier or reward failures follow; they are counted, not logged");
    }
}
