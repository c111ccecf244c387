// The noise model of written solutions (SolutionNoise), shared by both generators. Exact semantics:
//  - Clean (SolutionNoise.None, or StepError 0): no random draws at all; the solution is Problem.Solution.
//  - Otherwise, one draw per solution first: Repair = Bernoulli(RightAnswerAfterError). Then, for each step in
//    order, Slip = Bernoulli(StepError), independently; a slipped step writes its result off by d = 1..5
//    (uniform), sign uniform, except that a non-negative result never slips below 0 (then +d).
//  - Repair = false ("continue"): a step takes its inputs from what this solution wrote before, so a slip carries
//    into every later value and the answer line (the last value written) is wrong, unless slips cancel or the
//    answer does not depend on the slipped value (a graph may compute c=b-a with b=a+3): ~2% of such chain-sum
//    solutions and ~8% of graph ones at the default difficulties and StepError 0.15.
//  - Repair = true ("local slip"): a step takes the true values as inputs, so the slip stays in its own line and
//    the answer line writes the true answer, even when the last step slipped.
// The verifier accepts both kinds of input, so exactly the slipped steps verify as wrong: the measured step error
// rate is StepError, and a solution with a slip ends at the right answer with probability RightAnswerAfterError
// plus the few continued solutions above.
using Rlvr.Tasks;

namespace Rlvr.Plugins.Arithmetic;

internal sealed class Slips
{
    private readonly double _stepError;
    private readonly Random _random;

    private Slips(double stepError, bool repair, Random random)
    {
        _stepError = stepError;
        Repair = repair;
        _random = random;
    }

    public bool Repair { get; }

    // Null when the noise is clean, so clean solutions draw nothing from random.
    public static Slips? Start(SolutionNoise noise, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        CheckProbability(noise.StepError, nameof(noise.StepError));
        CheckProbability(noise.RightAnswerAfterError, nameof(noise.RightAnswerAfterError));
        if (noise.StepError == 0) return null;
        bool repair = random.NextDouble() < noise.RightAnswerAfterError;
        return new Slips(noise.StepError, repair, random);
    }

    // The value a step writes, given the right result of its arithmetic.
    public long Write(long right)
    {
        if (_random.NextDouble() >= _stepError) return right;
        int d = _random.Next(1, 6);
        bool down = _random.Next(2) == 0;
        return down && (right < 0 || right - d >= 0) ? right - d : right + d;
    }

    private static void CheckProbability(double p, string name)
    {
        if (!(p >= 0 && p <= 1))
            throw new ArgumentOutOfRangeException("noise", p, $"SolutionNoise.{name} must be a probability in [0, 1].");
    }
}
