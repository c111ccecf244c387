using Microsoft.Extensions.DependencyInjection;
using Rlvr.Host.Configuration;

namespace Rlvr.Host.Plugins;

/// <summary>Every named component of a run's service provider, and a resolver that explains unknown names.</summary>
public sealed class ComponentCatalog(IEnumerable<ComponentDescriptor> components, IServiceProvider services)
{
    private readonly IReadOnlyList<ComponentDescriptor> _components = components.ToList();

    /// <summary>All registered components.</summary>
    public IReadOnlyList<ComponentDescriptor> Components => _components;

    /// <summary>The names registered for <paramref name="kind"/>, sorted.</summary>
    public IReadOnlyList<string> Names(ComponentKind kind) =>
        _components.Where(c => c.Kind == kind).Select(c => c.Name).Order(StringComparer.Ordinal).ToList();

    /// <summary>Whether a component of <paramref name="kind"/> is registered as <paramref name="name"/>.</summary>
    public bool Contains(ComponentKind kind, string name) => _components.Any(c => c.Kind == kind && c.Name == name);

    /// <summary>Why <paramref name="name"/> cannot be resolved as <paramref name="kind"/>, or null when it can.</summary>
    public string? Explain(ComponentKind kind, string name)
    {
        if (Contains(kind, name)) return null;
        var known = Names(kind);
        return $"no {ComponentCatalog.Describe(kind)} is registered as '{name}'; " +
               (known.Count == 0 ? "no plugin provides one (run `rlvr plugins`)" : $"known: {string.Join(", ", known)}");
    }

    /// <summary>The kind in words, for messages: "model architecture", "metrics sink", "reward".</summary>
    public static string Describe(ComponentKind kind) => kind switch
    {
        ComponentKind.ModelArchitecture => "model architecture",
        ComponentKind.MetricsSink => "metrics sink",
        ComponentKind.AdvantageEstimator => "advantage estimator",
        ComponentKind.PolicyLoss => "policy loss",
        ComponentKind.LossAggregation => "loss aggregation",
        ComponentKind.KlEstimator => "KL estimator",
        ComponentKind.RewardPlacement => "reward placement",
        _ => kind.ToString().ToLowerInvariant(),
    };

    /// <summary>Resolves the component <paramref name="name"/> of the kind whose interface is <typeparamref name="TService"/>.</summary>
    /// <exception cref="ConfigurationErrorsException">No such component is registered.</exception>
    public TService Get<TService>(string name) where TService : class
    {
        var kind = RlvrServiceCollectionExtensions.ServiceTypes.Single(pair => pair.Value == typeof(TService)).Key;
        if (Explain(kind, name) is { } error) throw new ConfigurationErrorsException(error);
        return services.GetRequiredKeyedService<TService>(name);
    }
}
