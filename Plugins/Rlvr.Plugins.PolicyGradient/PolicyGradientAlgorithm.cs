using Microsoft.Extensions.Options;
using Rlvr.Training;

namespace Rlvr.PolicyGradient;

/// <summary>
/// A policy-gradient algorithm configured by one preset's options; each run gets its own session, built from the
/// objective parts the options name, resolved from <paramref name="services"/>.
/// </summary>
/// <typeparam name="TOptions">The preset, e.g. <see cref="GrpoOptions"/> or <see cref="PpoOptions"/>.</typeparam>
public sealed class PolicyGradientAlgorithm<TOptions>(IOptions<TOptions> options, IServiceProvider services) : IAlgorithm
    where TOptions : PolicyOptimizationOptions
{
    /// <inheritdoc />
    public ITrainingSession Begin(TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new PolicyGradientSession(options.Value, ObjectiveParts.Resolve(options.Value, services), context);
    }
}
