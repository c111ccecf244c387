// Options of the "mixture" curriculum, bound from "Curricula:Mixture". Rules for each band live in AddRlvrCurricula.
namespace Rlvr.Plugins.Curricula;

/// <summary>A fixed mixture of difficulty bands.</summary>
public sealed class MixtureOptions
{
    public const string Section = "Curricula:Mixture";

    // Empty by default: every section is validated whether or not its curriculum is selected, so "no bands" is
    // reported when the curriculum first draws (and a default list would be appended to by the binder).
    public List<MixtureBand> Bands { get; set; } = [];
}

/// <summary>One band of a mixture: chosen with probability Weight / (sum of the weights).</summary>
public sealed class MixtureBand : Band
{
    public double Weight { get; set; } = 1.0;    // relative; the weights need not sum to 1
}
