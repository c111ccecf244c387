// The config-file names of the objective enums, in kebab-case as verl spells them, and their parsers.
namespace Rlvr.PolicyGradient;

/// <summary>Parses config strings into <see cref="AdvantageScale"/>, <see cref="KlEstimator"/> and <see cref="LossAggregation"/>.</summary>
public static class ObjectiveNames
{
    /// <summary>Allowed names of <see cref="AdvantageScale"/>, in enum order.</summary>
    public static readonly string[] Scales = ["group", "batch", "none"];

    /// <summary>Allowed names of <see cref="KlEstimator"/>, in enum order.</summary>
    public static readonly string[] KlEstimators = ["k1", "k3"];

    /// <summary>Allowed names of <see cref="LossAggregation"/>, in enum order.</summary>
    public static readonly string[] Aggregations = ["seq-mean-token-mean", "token-mean", "seq-mean-token-sum-norm"];

    /// <summary>"group" | "batch" | "none" (case-insensitive); otherwise <see cref="ArgumentException"/> listing the allowed names.</summary>
    public static AdvantageScale ParseScale(string name) => (AdvantageScale)IndexOf(name, Scales, "advantage scale");

    /// <summary>"k1" | "k3" (case-insensitive); otherwise <see cref="ArgumentException"/> listing the allowed names.</summary>
    public static KlEstimator ParseKl(string name) => (KlEstimator)IndexOf(name, KlEstimators, "KL estimator");

    /// <summary>"seq-mean-token-mean" | "token-mean" | "seq-mean-token-sum-norm" (case-insensitive); otherwise <see cref="ArgumentException"/> listing the allowed names.</summary>
    public static LossAggregation ParseAggregation(string name) => (LossAggregation)IndexOf(name, Aggregations, "loss aggregation");

    // The arrays are in enum order, so the index is the enum value.
    private static int IndexOf(string name, string[] allowed, string what)
    {
        int i = Array.FindIndex(allowed, a => string.Equals(a, name, StringComparison.OrdinalIgnoreCase));
        if (i < 0)
            throw new ArgumentException($"Unknown {what} '{name}'. Allowed: {string.Join(", ", allowed)}.", nameof(name));
        return i;
    }
}
