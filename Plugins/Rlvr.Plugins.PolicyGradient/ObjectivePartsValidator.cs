// Checks at start that every part an algorithm names is registered, naming the key and the registered names, and
// that an estimator which needs a critic sits in a preset that trains one.
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Rlvr.Objectives;

namespace Rlvr.PolicyGradient;

internal sealed class ObjectivePartsValidator<TOptions>(string section, IEnumerable<ComponentDescriptor> components, IServiceProvider services)
    : IValidateOptions<TOptions> where TOptions : PolicyOptimizationOptions
{
    public ValidateOptionsResult Validate(string? name, TOptions o)
    {
        var failures = new[]
        {
            Check(nameof(o.Advantage), o.Advantage, ComponentKind.AdvantageEstimator, "advantage estimator"),
            Check(nameof(o.Rewards), o.Rewards, ComponentKind.RewardPlacement, "reward placement"),
            Check(nameof(o.PolicyLoss), o.PolicyLoss, ComponentKind.PolicyLoss, "policy loss"),
            Check(nameof(o.LossAggregation), o.LossAggregation, ComponentKind.LossAggregation, "loss aggregation"),
            Check(nameof(o.KlEstimator), o.KlEstimator, ComponentKind.KlEstimator, "KL estimator"),
            Check(nameof(o.RewardKlEstimator), o.RewardKlEstimator, ComponentKind.KlEstimator, "KL estimator"),
        }.OfType<string>().ToList();
        if (failures.Count == 0 && o.CriticTraining() is null && services.GetRequiredKeyedService<IAdvantageEstimator>(o.Advantage).NeedsCritic)
            failures.Add($"{section}:{nameof(o.Advantage)} = '{o.Advantage}': this estimator needs a critic, which only the ppo presets train.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private string? Check(string key, string value, ComponentKind kind, string what)
    {
        var known = components.Where(c => c.Kind == kind).Select(c => c.Name).Order(StringComparer.Ordinal).ToList();
        return known.Contains(value) ? null : $"{section}:{key} = '{value}': no {what} is registered by that name; known: {string.Join(", ", known)}.";
    }
}
