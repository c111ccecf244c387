// The lab's rule for a finding. The seed is the unit: each seed's arm is compared with the base it was trained from
// (d_s = arm_s − base_s), and an arm is "higher" or "lower" only when the paired t-test over seeds rejects d = 0 at
// 5% after Holm's correction over the family the report tests. Anything else is "no difference", with the mean
// difference and its 95% interval. A verdict needs five seeds: at three, t has 2 degrees of freedom (the interval is
// d̄ ± 4.30 s_d/√3) and the exact sign flip cannot go below 2/2³ = 0.25; at five it reaches 2/2⁵ = 0.0625, so the
// sign flip is a robustness column and the t-test decides.
using System.Globalization;
using Rlvr.Host.Statistics;

namespace Rlvr.Reporting;

/// <summary>Whether an arm differs from its base on one metric, by the lab's rule.</summary>
public static class Verdict
{
    public const int MinimumSeeds = 5;

    /// <summary>The family-wise error rate a "higher" or "lower" is held to.</summary>
    public const double Alpha = 0.05;

    /// <param name="difference">The paired seed-level difference.</param>
    /// <param name="adjustedP">Its Holm-adjusted t-test p within the family tested.</param>
    public static string Of(PairedDifference difference, double adjustedP)
    {
        string estimate = Estimate(difference);
        int seeds = difference.Seeds;
        if (seeds < MinimumSeeds) return $"no verdict ({seeds} seed{(seeds == 1 ? "" : "s")}; a verdict needs {MinimumSeeds}): {estimate}";
        if (adjustedP < Alpha) return $"{(difference.Mean > 0 ? "higher" : "lower")} ({estimate}, Holm p = {P(adjustedP)})";
        return $"no difference ({estimate})";
    }

    /// <summary>"d = +0.012, 95% CI [-0.010, +0.030]"; the interval is left out under two seeds.</summary>
    public static string Estimate(PairedDifference d) =>
        $"d = {ReportFormat.Signed(d.Mean)}" + (double.IsNaN(d.Lower) ? "" :
            $", {(int)Math.Round(d.Level * 100)}% CI [{ReportFormat.Signed(d.Lower)}, {ReportFormat.Signed(d.Upper)}]");

    /// <summary>A p-value: three significant decimals, "<0.001" below.</summary>
    public static string P(double p) => double.IsNaN(p) ? "–" : p < 0.001 ? "<0.001" : p.ToString("0.000", CultureInfo.InvariantCulture);
}
