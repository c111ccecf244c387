using Microsoft.Extensions.DependencyInjection;
using Rlvr.Plugins.Curricula;

namespace Rlvr;

/// <summary>Registers the curricula.</summary>
public static class CurriculaServiceCollectionExtensions
{
    /// <summary>
    /// Adds <c>"mixture"</c>, <c>"staged"</c>, <c>"adaptive"</c> and <c>"success-rate"</c>, each with options from its
    /// section under <c>Curricula</c>. Whether a band lies within the task's difficulties is checked when the
    /// curriculum first draws: options are validated before any task exists.
    /// </summary>
    public static IServiceCollection AddRlvrCurricula(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);

        services.AddCurriculum<MixtureCurriculum, MixtureOptions>(MixtureCurriculum.Name, MixtureOptions.Section)
            .ValidateEach($"{MixtureOptions.Section}:Bands", o => o.Bands, MinAtMostMax<MixtureBand>(),
                new((bands, i) => double.IsFinite(bands[i].Weight) && bands[i].Weight > 0,
                    (band, path) => $"{path}:Weight = '{band.Weight}': must be a positive number (weights are relative)."));

        services.AddCurriculum<StagedCurriculum, StagedOptions>(StagedCurriculum.Name, StagedOptions.Section)
            .ValidateEach($"{StagedOptions.Section}:Stages", o => o.Stages, MinAtMostMax<Stage>(),
                new((stages, i) => i > 0 || stages[0].FromStep == 0,
                    (stage, path) => $"{path}:FromStep = '{stage.FromStep}': the first stage must start at step 0."),
                new((stages, i) => i == 0 || stages[i].FromStep > stages[i - 1].FromStep,
                    (stage, path) => $"{path}:FromStep = '{stage.FromStep}': must be greater than the previous stage's FromStep (list stages in the order they start)."));

        const string adaptive = AdaptiveOptions.Section;
        services.AddCurriculum<AdaptiveCurriculum, AdaptiveOptions>(AdaptiveCurriculum.Name, adaptive)
            .Validate(o => o.Lower < o.Upper, $"{adaptive}:Lower must be < {adaptive}:Upper, or one mean could call for a move both ways.");

        const string successRate = SuccessRateOptions.Section;
        services.AddCurriculum<SuccessRateCurriculum, SuccessRateOptions>(SuccessRateCurriculum.Name, successRate)
            .Validate(o => o.MinDifficulty == 0 || o.MaxDifficulty == 0 || o.MinDifficulty <= o.MaxDifficulty,
                $"{successRate}:MinDifficulty must be <= {successRate}:MaxDifficulty.");
        return services;
    }

    private static ElementRule<TBand> MinAtMostMax<TBand>() where TBand : Band =>
        new((bands, i) => bands[i].Min <= bands[i].Max, (band, path) => $"{path}:Min = '{band.Min}' must be <= {path}:Max = '{band.Max}'.");
}
