// Curricula built with options as a test states them, without a service provider.
using Microsoft.Extensions.Options;

namespace Rlvr.Plugins.Curricula.Tests.Support;

internal static class New
{
    public static MixtureCurriculum Mixture(params (int Min, int Max, double Weight)[] bands) =>
        new(Options.Create(new MixtureOptions { Bands = bands.Select(b => new MixtureBand { Min = b.Min, Max = b.Max, Weight = b.Weight }).ToList() }));

    public static StagedCurriculum Staged(params (int FromStep, int Min, int Max)[] stages) =>
        new(Options.Create(new StagedOptions { Stages = stages.Select(s => new Stage { FromStep = s.FromStep, Min = s.Min, Max = s.Max }).ToList() }));

    public static AdaptiveCurriculum Adaptive(AdaptiveOptions options) => new(Options.Create(options));

    public static SuccessRateCurriculum SuccessRate(SuccessRateOptions options) => new(Options.Create(options));
}
