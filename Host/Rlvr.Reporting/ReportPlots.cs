// The report's plots as PNG bytes (ScottPlot 5): pass@k curves with bands on a log2 k axis, pass@k against
// difficulty, grouped bars with whiskers, overlaid histograms and training curves. Every plot has a title, axis labels and a
// legend; arms keep their colour from ArmPalette everywhere.
using ScottPlot;

namespace Rlvr.Reporting;

/// <summary>Draws the report's plots.</summary>
public static class ReportPlots
{
    private const int Width = 1100, Height = 600;

    // A sans-serif face where the machine has one: ScottPlot's own default resolves to a serif face on Linux.
    private static readonly string s_font = SkiaSharp.SKTypeface.FromFamilyName("DejaVu Sans").FamilyName == "DejaVu Sans" ? "DejaVu Sans" : Fonts.Default;

    /// <summary>
    /// A named series of grouped bars: one value per group, drawn in its own colour per group, with an optional
    /// error bar per group (its lower and upper end; NaN for none).
    /// </summary>
    public sealed record BarSeries(string Name, IReadOnlyList<double> Values, Func<int, Color> ColorOf, IReadOnlyList<(double Lower, double Upper)>? Errors = null);

    /// <summary>A line per curve over log2 k, with its band shaded; the base is drawn thicker.</summary>
    public static byte[] PassAtK(IReadOnlyList<PassAtKCurve> curves, ArmPalette palette, string title)
    {
        var plot = NewPlot(title, "k (samples per problem, log2 scale)", "pass@k");
        var ks = KCurves(plot, curves, palette, bands: true);
        plot.Axes.SetLimits(-0.2, Math.Log2(ks[^1]) + 0.2, 0, 1.02);
        plot.ShowLegend(Edge.Right);
        return Png(plot);
    }

    /// <summary>Each arm's pass@k minus the base's over log2 k, with its band and the zero line where the base catches up.</summary>
    public static byte[] Gaps(IReadOnlyList<PassAtKCurve> gaps, ArmPalette palette, string title)
    {
        var plot = NewPlot(title, "k (samples per problem, log2 scale)", "pass@k arm − pass@k base");
        var zero = plot.Add.HorizontalLine(0);
        zero.Color = Colors.Black;
        zero.LineWidth = 1.5f;
        zero.LinePattern = LinePattern.Dashed;
        KCurves(plot, gaps, palette, bands: true);
        plot.ShowLegend(Edge.Right);
        return Png(plot);
    }

    // Draws the curves against log2 k and labels the k axis with k itself; returns the k drawn.
    private static int[] KCurves(Plot plot, IReadOnlyList<PassAtKCurve> curves, ArmPalette palette, bool bands)
    {
        foreach (var curve in curves)
        {
            double[] xs = [.. curve.Ks.Select(k => Math.Log2(k))];
            if (bands)
            {
                var band = plot.Add.FillY(xs, [.. curve.Points.Select(p => p.Lower)], [.. curve.Points.Select(p => p.Upper)]);
                band.FillColor = palette[curve.Arm].WithAlpha(0.12);
                band.LineWidth = 0;
            }
            var line = plot.Add.Scatter(xs, [.. curve.Points.Select(p => p.Mean)]);
            line.Color = palette[curve.Arm];
            line.LineWidth = curve.Arm == Host.Runs.RunPaths.BaseArm ? 3 : 2;
            line.MarkerSize = 5;
            line.LegendText = $"{curve.Arm} (n = {curve.Samples}, {Seeds(curve.Seeds)})";
        }
        int[] ks = [.. curves.SelectMany(c => c.Ks).Distinct().Order()];
        plot.Axes.Bottom.SetTicks([.. ks.Select(k => Math.Log2(k))], [.. ks.Select(k => k.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        return ks;
    }

    /// <summary>Per run, pass@1 (solid) and pass@k (dashed, lighter) against difficulty, each the mean over seeds.</summary>
    public static byte[] ByDifficulty(IReadOnlyList<(string Arm, IReadOnlyList<DifficultyPassAtK> Points)> runs, ArmPalette palette, string title)
    {
        var plot = NewPlot(title, "difficulty", "pass@k");
        foreach (var (arm, points) in runs)
        {
            double[] xs = [.. points.Select(p => (double)p.Difficulty)];
            foreach (var (k, pattern, alpha, values) in new[] { (1, LinePattern.Solid, 1.0, points.Select(p => p.PassAt1)), (points[0].K, LinePattern.Dashed, 0.6, points.Select(p => p.PassAtK)) })
            {
                var line = plot.Add.Scatter(xs, [.. values.Select(seeds => seeds.Average())]);
                line.Color = palette[arm].WithAlpha(alpha);
                line.LineWidth = arm == Host.Runs.RunPaths.BaseArm ? 3 : 2;
                line.LinePattern = pattern;
                line.MarkerSize = 5;
                line.LegendText = $"{arm}: pass@{k}";
            }
        }
        int[] difficulties = [.. runs.SelectMany(r => r.Points.Select(p => p.Difficulty)).Distinct().Order()];
        plot.Axes.Bottom.SetTicks([.. difficulties.Select(d => (double)d)], [.. difficulties.Select(d => d.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        plot.Axes.SetLimitsY(0, 1.02);
        plot.ShowLegend(Edge.Right);
        return Png(plot);
    }

    /// <summary>
    /// Bars grouped by <paramref name="groups"/>, one bar per series in each group, each bar labelled with its value
    /// above its error bar; <paramref name="legend"/> names the colours, <paramref name="xLabel"/> says what tells the series apart.
    /// A NaN value draws no bar (nothing to show); negative values hang below a zero line.
    /// </summary>
    public static byte[] GroupedBars(string title, string xLabel, string yLabel, IReadOnlyList<string> groups, IReadOnlyList<BarSeries> series,
        IReadOnlyList<(string Name, Color Color)> legend, string valueFormat = "F3")
    {
        var plot = NewPlot(title, xLabel, yLabel);
        double width = 0.8 / series.Count, top = 0, bottom = 0;
        var bars = new List<Bar>();
        var whiskers = new List<(double X, double Value, double Lower, double Upper)>();
        var labels = new List<(double X, double At, string Text)>();
        for (int g = 0; g < groups.Count; g++)
            for (int s = 0; s < series.Count; s++)
            {
                double value = series[s].Values[g], x = g + (s - (series.Count - 1) / 2.0) * width, labelAt = value;
                if (double.IsNaN(value)) continue;
                bars.Add(new Bar { Position = x, Value = value, Size = width * 0.92, FillColor = series[s].ColorOf(g), LineWidth = 0 });
                if (series[s].Errors is { } errors && double.IsFinite(errors[g].Lower) && double.IsFinite(errors[g].Upper))
                {
                    whiskers.Add((x, value, errors[g].Lower, errors[g].Upper));
                    labelAt = value < 0 ? Math.Min(value, errors[g].Lower) : Math.Max(value, errors[g].Upper);
                    top = Math.Max(top, errors[g].Upper);
                    bottom = Math.Min(bottom, errors[g].Lower);
                }
                labels.Add((x, labelAt, value.ToString(valueFormat, System.Globalization.CultureInfo.InvariantCulture)));
                top = Math.Max(top, labelAt);
                bottom = Math.Min(bottom, labelAt);
            }
        plot.Add.Bars(bars);
        foreach (var (x, value, lower, upper) in whiskers)                 // over the bars, so that the lower half shows
        {
            var whisker = new ScottPlot.Plottables.ErrorBar([x], [value], null, null, [value - lower], [upper - value]);
            whisker.Color = Colors.Black;
            whisker.LineWidth = 1.2f;
            plot.Add.Plottable(whisker);
        }
        foreach (var (x, at, text) in labels)
        {
            var label = plot.Add.Text(text, x, at);
            label.LabelFontSize = 11;
            label.LabelAlignment = at < 0 ? Alignment.UpperCenter : Alignment.LowerCenter;   // a negative bar's label hangs below it
        }
        foreach (var (name, color) in legend) plot.Legend.ManualItems.Add(new LegendItem { LabelText = name, FillColor = color });
        plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, groups.Count).Select(g => (double)g)], [.. groups]);
        if (groups.Max(g => g.Length) * 7.5 > 750.0 / groups.Count)        // too long to sit side by side: slanted, ending under their group
        {
            plot.Axes.Bottom.TickLabelStyle.Rotation = -30;
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.UpperRight;
            plot.Axes.Bottom.MinimumSize = 110;
        }
        if (bottom < 0)
        {
            var zero = plot.Add.HorizontalLine(0);
            zero.Color = Colors.Black;
            zero.LineWidth = 1;
        }
        double span = Math.Max(1e-9, top - bottom);
        plot.Axes.SetLimits(-0.6, groups.Count - 0.4, bottom < 0 ? bottom - 0.15 * span : 0, top + 0.15 * span);   // room for the value labels
        plot.ShowLegend(Edge.Right);
        return Png(plot);
    }

    /// <summary>
    /// Two weighted histograms on shared bins, each as the share of its samples per bin. The bins span the 1st
    /// percentile of both to the maximum, so that a few extreme values do not squeeze the rest; lower values go into the first bin.
    /// </summary>
    public static byte[] Histograms(string title, string xLabel, (string Name, SupportLikelihood.Samples Samples, Color Color) first,
        (string Name, SupportLikelihood.Samples Samples, Color Color) second, int bins = 40)
    {
        var plot = NewPlot(title, xLabel, "share of correct samples");
        double min = Math.Min(first.Samples.Quantile(0.01), second.Samples.Quantile(0.01));
        double max = Math.Max(first.Samples.LogLikelihoods.Max(), second.Samples.LogLikelihoods.Max());
        double binWidth = Math.Max(max - min, 1e-6) / bins;
        foreach (var (name, samples, color) in new[] { first, second })
        {
            var shares = new double[bins];
            for (int i = 0; i < samples.LogLikelihoods.Count; i++)
                shares[Math.Clamp((int)((samples.LogLikelihoods[i] - min) / binWidth), 0, bins - 1)] += samples.Counts[i] / (double)samples.Total;
            var bars = plot.Add.Bars([.. Enumerable.Range(0, bins).Select(b => min + (b + 0.5) * binWidth)], shares);
            foreach (var bar in bars.Bars) { bar.Size = binWidth; bar.FillColor = color.WithAlpha(0.5); bar.LineWidth = 0; }
            bars.LegendText = name;
        }
        plot.Axes.Margins(bottom: 0);
        plot.ShowLegend(Alignment.UpperLeft);
        return Png(plot, 520, 350);                                      // two side by side in the HTML
    }

    /// <summary>A training metric per arm against the step: the raw mean faint, its moving average solid, both named in the legend.</summary>
    public static byte[] TrainingCurves(string title, string yLabel, IReadOnlyList<TrainingCurve> curves, ArmPalette palette, int window)
    {
        var plot = NewPlot(title, "training step", yLabel);
        foreach (var curve in curves)
        {
            double[] xs = [.. curve.Steps];
            var raw = plot.Add.ScatterLine(xs, [.. curve.Mean]);
            raw.Color = palette[curve.Arm].WithAlpha(0.25);
            raw.LineWidth = 1;
            var smooth = plot.Add.ScatterLine(xs, curve.Smoothed(window));
            smooth.Color = palette[curve.Arm];
            smooth.LineWidth = 2;
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = $"{curve.Arm} ({Seeds(curve.Seeds)})", LineColor = smooth.Color, LineWidth = 2 });
        }
        // The two line styles, so that the plot reads without the text around it (manual items replace the automatic ones).
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = $"solid: moving average over {window} steps", LineColor = Colors.Black, LineWidth = 2 });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "faint: each step's value", LineColor = Colors.Black.WithAlpha(0.25), LineWidth = 1 });
        plot.ShowLegend(Edge.Right);
        return Png(plot);
    }

    private static string Seeds(int seeds) => seeds == 1 ? "1 seed" : $"mean of {seeds} seeds";

    private static Plot NewPlot(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        plot.Font.Set(s_font);
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        return plot;
    }

    private static byte[] Png(Plot plot, int width = Width, int height = Height) => plot.GetImageBytes(width, height, ImageFormat.Png);
}
