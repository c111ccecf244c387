namespace Rlvr.Plugins.Curricula;

internal static class WeightedChoice
{
    /// <summary>
    /// An index drawn with probability weights[i] / <paramref name="total"/>, from one <see cref="Random.NextDouble"/>
    /// (so a resumed run consumes the random stream exactly as the uninterrupted one). Every weight must be positive.
    /// </summary>
    public static int Index(IReadOnlyList<double> weights, double total, Random random)
    {
        double u = random.NextDouble() * total;
        for (int i = 0; i < weights.Count; i++)
        {
            u -= weights[i];
            if (u < 0) return i;
        }
        return weights.Count - 1;   // rounding in the sum can leave u a hair above zero
    }
}
