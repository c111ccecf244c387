// How numbers and texts look in a report: invariant culture, three decimals for shares, counts whole when they are.
using System.Globalization;
using Rlvr.Host.Evaluation;

namespace Rlvr.Reporting;

/// <summary>Formats values for report tables and text.</summary>
public static class ReportFormat
{
    private static readonly CultureInfo s_invariant = CultureInfo.InvariantCulture;

    /// <summary>A share or rate: three decimals; "–" for NaN.</summary>
    public static string Number(double value, int decimals = 3) => double.IsNaN(value) ? "–" : value.ToString($"F{decimals}", s_invariant);

    /// <summary>A difference: as <see cref="Number"/>, with "+" when it is not negative.</summary>
    public static string Signed(double value, int decimals = 3) => (value >= 0 ? "+" : "") + Number(value, decimals);

    public static string Interval(Interval i) => $"{Number(i.Mean)} [{Number(i.Lower)}, {Number(i.Upper)}]";

    /// <summary>The bounds of an interval of a difference, signed: "[−0.035, +0.010]".</summary>
    public static string SignedBounds(Interval i) => $"[{Signed(i.Lower)}, {Signed(i.Upper)}]";

    /// <summary>Which side of 0 an interval of a difference lies on: <paramref name="above"/>, <paramref name="below"/>, or <paramref name="across"/> when it holds 0.</summary>
    public static string Side(Interval i, string above, string below, string across) => i.Lower > 0 ? above : i.Upper < 0 ? below : across;

    /// <summary>A paired difference's columns: seeds, d̄, its interval, the t-test p, the sign-flip p, d_z.</summary>
    public static IReadOnlyList<string> Paired(Host.Statistics.PairedDifference d) =>
        [d.Seeds.ToString(s_invariant), Signed(d.Mean), double.IsNaN(d.Lower) ? "–" : $"[{Signed(d.Lower)}, {Signed(d.Upper)}]",
         Verdict.P(d.TestP), Verdict.P(d.SignFlipP), double.IsNaN(d.EffectSize) ? "–" : Signed(d.EffectSize, 2)];

    /// <summary>A count: whole when it is one (equal n), else one decimal (an expected count at unequal n).</summary>
    public static string Count(double value) =>
        Math.Abs(value - Math.Round(value)) < 1e-9 ? Math.Round(value).ToString("F0", s_invariant) : value.ToString("F1", s_invariant);

    /// <summary>A paired seed-level difference with its interval, "+0.050 [+0.010, +0.090]"; the mean alone under two seeds (no interval).</summary>
    public static string Difference(Host.Statistics.PairedDifference d) =>
        double.IsNaN(d.Lower) ? Signed(d.Mean) : $"{Signed(d.Mean)} [{Signed(d.Lower)}, {Signed(d.Upper)}]";

    /// <summary>Model text as a code span, line breaks shown as ⏎ so it stays on one line.</summary>
    public static string Code(string text) => $"`{text.Replace("\n", "⏎").Replace("`", "'")}`";
}
