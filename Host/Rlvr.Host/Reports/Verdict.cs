// The lab's rule for a finding: at least three seeds, and 95% intervals of arm and base that do not overlap.
// Anything less is reported as "no difference", with the reason, however large the gap between the means.
using System.Globalization;
using Rlvr.Host.Evaluation;

namespace Rlvr.Host.Reports;

/// <summary>Whether an arm differs from the base at one k, by the lab's rule.</summary>
public static class Verdict
{
    public const int SeedsForAFinding = 3;

    public static string Of(Interval arm, Interval @base, int seeds)
    {
        string gap = (arm.Mean - @base.Mean).ToString("+0.000;-0.000;0.000", CultureInfo.InvariantCulture);
        if (seeds < SeedsForAFinding) return $"no difference ({seeds} seed{(seeds == 1 ? "" : "s")}; a finding needs {SeedsForAFinding}; gap {gap})";
        if (arm.Lower > @base.Upper) return $"higher ({gap}; intervals separate)";
        if (arm.Upper < @base.Lower) return $"lower ({gap}; intervals separate)";
        return $"no difference (intervals overlap; gap {gap})";
    }
}
