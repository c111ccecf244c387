using Microsoft.Extensions.Options;
using Rlvr.Host.Plugins;
using Rlvr.Host.Training;

namespace Rlvr.Host.Configuration;

/// <summary>Every key of <c>Rollout:RewardWeights</c> must be a registered reward: a misspelled one would weigh nothing and leave the reward at 1.</summary>
internal sealed class RewardWeightsValidator(ComponentCatalog catalog) : IValidateOptions<RolloutOptions>
{
    public ValidateOptionsResult Validate(string? name, RolloutOptions options)
    {
        var failures = options.RewardWeights.Keys
            .Select(reward => catalog.Explain(ComponentKind.Reward, reward) is { } why ? $"{RolloutOptions.Section}:{nameof(RolloutOptions.RewardWeights)}:{reward}: {why}" : null)
            .OfType<string>()
            .ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
