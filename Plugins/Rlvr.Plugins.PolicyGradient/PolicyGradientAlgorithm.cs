using Microsoft.Extensions.Options;
using Rlvr.Training;

namespace Rlvr.PolicyGradient;

/// <summary>A policy-gradient algorithm configured by one preset's options; each run gets its own session.</summary>
/// <typeparam name="TOptions">The preset, e.g. <see cref="GrpoOptions"/> or <see cref="PpoOptions"/>.</typeparam>
public sealed class PolicyGradientAlgorithm<TOptions>(IOptions<TOptions> options) : IAlgorithm
    where TOptions : PolicyOptimizationOptions
{
    /// <inheritdoc />
    public ITrainingSession Begin(TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new PolicyGradientSession(options.Value, context);
    }
}
