// Hand-made verifications of a two-step chain-sum completion, "1:2+3=5\n2:5+4=9\n#9" (steps end at 8 and 16).
using Rlvr.Tasks;

namespace Rlvr.Plugins.Rewards.Tests.Support;

internal static class Verifications
{
    public const string Completion = "1:2+3=5\n2:5+4=9\n#9";

    public static readonly Problem Sum = new("hand", "2+3+4=", Completion, "9", 3);

    public static Verification Right => new(true, [new(0, 8, 1.0), new(8, 8, 1.0)]);

    public static Verification WrongStepRightAnswer => new(true, [new(0, 8, 0.0), new(8, 8, 1.0)]);

    public static Verification WrongAnswer => new(false, [new(0, 8, 1.0), new(8, 8, 1.0)]);
}
