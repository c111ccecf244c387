// How an arm's pass@k curve orders against its base's over k. A crossing needs one curve strictly ahead on each
// side: the curves may touch in between, but a tie alone (both at the ceiling 1.000, say) is not a crossing. Both
// directions occur: RL tends to put the arm ahead at small k and the base ahead at large k (Yue et al. 2025), while
// distillation from a stronger teacher can put the arm behind at small k and ahead at large k.
namespace Rlvr.Host.Studies;

/// <summary>Which of two curves is strictly ahead.</summary>
public enum Leader { Base, Arm }

/// <summary>The k from which <paramref name="Ahead"/> is strictly ahead, where the other curve was strictly ahead at a smaller k.</summary>
public sealed record Crossing(int K, Leader Ahead)
{
    /// <summary>The curve that was ahead before this crossing.</summary>
    public Leader Behind => Ahead == Leader.Base ? Leader.Arm : Leader.Base;

    /// <summary>E.g. "the base overtakes the arm at k = 16".</summary>
    public string Describe() => $"the {Name(Ahead)} overtakes the {Name(Behind)} at k = {K}";

    internal static string Name(Leader leader) => leader == Leader.Base ? "base" : "arm";
}

/// <summary>The crossings of an arm's pass@k curve with its base's, in order of k.</summary>
/// <param name="First">The curve strictly ahead at the smallest k where they differ; null when they are tied at every k.</param>
/// <param name="TiedFrom">The smallest k from which the curves are tied at every k compared; null when they differ at the last k.</param>
public sealed record CurveOrder(IReadOnlyList<Crossing> Crossings, Leader? First, int? TiedFrom)
{
    /// <summary>Differences smaller than this are ties: pass@k estimates of equal counts may differ in the last bits.</summary>
    public const double Tolerance = 1e-9;

    /// <param name="ks">The k compared, increasing.</param>
    /// <param name="baseline">The base's pass@k at each of <paramref name="ks"/>.</param>
    /// <param name="arm">The arm's pass@k at each of <paramref name="ks"/>.</param>
    public static CurveOrder Of(IReadOnlyList<int> ks, IReadOnlyList<double> baseline, IReadOnlyList<double> arm)
    {
        var crossings = new List<Crossing>();
        Leader? first = null, last = null;
        int? tiedFrom = null;
        for (int i = 0; i < ks.Count; i++)
        {
            var ahead = Ahead(baseline[i], arm[i]);
            if (ahead is not Leader now) { tiedFrom ??= ks[i]; continue; }
            tiedFrom = null;
            if (last is Leader before && before != now) crossings.Add(new Crossing(ks[i], now));
            first ??= now;
            last = now;
        }
        return new CurveOrder(crossings, first, tiedFrom);
    }

    /// <summary>The curve strictly ahead of the other at one k; null for a tie.</summary>
    public static Leader? Ahead(double baseline, double arm) =>
        arm - baseline > Tolerance ? Leader.Arm : baseline - arm > Tolerance ? Leader.Base : null;

    /// <summary>A sentence, e.g. "the base overtakes the arm at k = 16" or "no crossing: the arm is ahead wherever the curves differ; tied from k = 256".</summary>
    public string Describe()
    {
        if (First is not Leader first) return "no crossing: the curves are tied at every k";
        string order = Crossings.Count == 0
            ? $"no crossing: the {Crossing.Name(first)} is ahead wherever the curves differ"
            : string.Join(", then ", Crossings.Select(c => c.Describe()));
        return TiedFrom is int tied ? $"{order}; tied from k = {tied} (a tie, not a crossing)" : order;
    }

    /// <summary>A table cell, e.g. "base from 16", "arm from 32", "none (arm ahead)", "none (arm ahead), tied from 256".</summary>
    public string Short()
    {
        string order = First is not Leader first ? "none (tied)"
            : Crossings.Count == 0 ? $"none ({Crossing.Name(first)} ahead)"
            : string.Join(", ", Crossings.Select(c => $"{Crossing.Name(c.Ahead)} from {c.K}"));
        return TiedFrom is int tied && First is not null ? $"{order}, tied from {tied}" : order;
    }
}
