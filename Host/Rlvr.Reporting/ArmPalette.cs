// One colour per arm, the same in every plot of a report: the base black, the arms in Category10 order without its
// grey, which reads as the base.
using Rlvr.Host.Runs;
using ScottPlot;

namespace Rlvr.Reporting;

/// <summary>The colour of each arm of a study.</summary>
public sealed class ArmPalette(IReadOnlyList<string> arms)
{
    private static readonly Color[] s_colors = [.. new ScottPlot.Palettes.Category10().Colors.Where(c => c.Red != c.Green || c.Green != c.Blue)];

    public Color this[string arm] => arm == RunPaths.BaseArm
        ? Colors.Black
        : s_colors[Math.Max(0, arms.Where(a => a != RunPaths.BaseArm).ToList().IndexOf(arm)) % s_colors.Length];
}
