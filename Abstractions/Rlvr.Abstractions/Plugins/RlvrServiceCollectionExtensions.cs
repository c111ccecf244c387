using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Rlvr.Curricula;
using Rlvr.Metrics;
using Rlvr.Models;
using Rlvr.Objectives;
using Rlvr.Rewards;
using Rlvr.Tasks;
using Rlvr.Tokenizers;
using Rlvr.Tools;
using Rlvr.Training;

namespace Rlvr;

/// <summary>
/// Registers named components and their options. Every method adds a keyed singleton (the key is the component's
/// name) and a <see cref="ComponentDescriptor"/> that the host's catalog reads.
/// </summary>
/// <remarks>
/// Options bind with unknown keys treated as errors, validate their data annotations and are validated when the
/// host starts, so a misspelled or out-of-range value stops a study before any compute. Chain further
/// <c>Validate</c> calls on the returned <see cref="OptionsBuilder{TOptions}"/> for cross-field rules.
/// </remarks>
public static partial class RlvrServiceCollectionExtensions
{
    private static readonly Dictionary<Type, ComponentKind> s_kinds = new()
    {
        [typeof(IModelArchitecture)] = ComponentKind.ModelArchitecture,
        [typeof(ITokenizerFactory)] = ComponentKind.Tokenizer,
        [typeof(IProblemGenerator)] = ComponentKind.Task,
        [typeof(IVerifier)] = ComponentKind.Verifier,
        [typeof(IReward)] = ComponentKind.Reward,
        [typeof(IAlgorithm)] = ComponentKind.Algorithm,
        [typeof(ICurriculum)] = ComponentKind.Curriculum,
        [typeof(IMetricsSinkFactory)] = ComponentKind.MetricsSink,
        [typeof(IAdvantageEstimator)] = ComponentKind.AdvantageEstimator,
        [typeof(IPolicyLoss)] = ComponentKind.PolicyLoss,
        [typeof(ILossAggregation)] = ComponentKind.LossAggregation,
        [typeof(IKlEstimator)] = ComponentKind.KlEstimator,
        [typeof(IRewardPlacement)] = ComponentKind.RewardPlacement,
        [typeof(ITool)] = ComponentKind.Tool,
    };

    /// <summary>The service interface of each component kind.</summary>
    public static IReadOnlyDictionary<ComponentKind, Type> ServiceTypes { get; } =
        s_kinds.ToDictionary(pair => pair.Value, pair => pair.Key);

    /// <summary>Registers a model architecture under <paramref name="name"/>, with options bound from <paramref name="section"/>.</summary>
    public static OptionsBuilder<TOptions> AddModelArchitecture<TImplementation, TOptions>(this IServiceCollection services, string name, string section)
        where TImplementation : class, IModelArchitecture where TOptions : class =>
        services.AddComponent<IModelArchitecture, TImplementation, TOptions>(name, section);

    /// <summary>Registers a tokenizer under <paramref name="name"/>.</summary>
    public static IServiceCollection AddTokenizer<TImplementation>(this IServiceCollection services, string name)
        where TImplementation : class, ITokenizerFactory =>
        services.AddComponent<ITokenizerFactory, TImplementation>(name);

    /// <summary>Registers a problem generator under <paramref name="name"/>, with options bound from <paramref name="section"/>.</summary>
    public static OptionsBuilder<TOptions> AddTask<TImplementation, TOptions>(this IServiceCollection services, string name, string section)
        where TImplementation : class, IProblemGenerator where TOptions : class =>
        services.AddComponent<IProblemGenerator, TImplementation, TOptions>(name, section);

    /// <summary>Registers a verifier under <paramref name="name"/>.</summary>
    public static IServiceCollection AddVerifier<TImplementation>(this IServiceCollection services, string name)
        where TImplementation : class, IVerifier =>
        services.AddComponent<IVerifier, TImplementation>(name);

    /// <summary>Registers a reward function under <paramref name="name"/>.</summary>
    public static IServiceCollection AddReward<TImplementation>(this IServiceCollection services, string name)
        where TImplementation : class, IReward =>
        services.AddComponent<IReward, TImplementation>(name);

    /// <summary>Registers an algorithm under <paramref name="name"/>, with options bound from <paramref name="section"/>.</summary>
    public static OptionsBuilder<TOptions> AddAlgorithm<TImplementation, TOptions>(this IServiceCollection services, string name, string section)
        where TImplementation : class, IAlgorithm where TOptions : class =>
        services.AddComponent<IAlgorithm, TImplementation, TOptions>(name, section);

    /// <summary>Registers a curriculum under <paramref name="name"/>, with options bound from <paramref name="section"/>.</summary>
    public static OptionsBuilder<TOptions> AddCurriculum<TImplementation, TOptions>(this IServiceCollection services, string name, string section)
        where TImplementation : class, ICurriculum where TOptions : class =>
        services.AddComponent<ICurriculum, TImplementation, TOptions>(name, section);

    /// <summary>Registers a metrics sink under <paramref name="name"/>: a factory that opens one sink per run.</summary>
    public static IServiceCollection AddMetricsSink<TImplementation>(this IServiceCollection services, string name)
        where TImplementation : class, IMetricsSinkFactory =>
        services.AddComponent<IMetricsSinkFactory, TImplementation>(name);

    /// <summary>Registers an advantage estimator of policy-gradient objectives under <paramref name="name"/>.</summary>
    public static IServiceCollection AddAdvantageEstimator<TImplementation>(this IServiceCollection services, string name)
        where TImplementation : class, IAdvantageEstimator =>
        services.AddComponent<IAdvantageEstimator, TImplementation>(name);

    /// <summary>Registers a policy loss (surrogate and clipping) of policy-gradient objectives under <paramref name="name"/>.</summary>
    public static IServiceCollection AddPolicyLoss<TImplementation>(this IServiceCollection services, string name)
        where TImplementation : class, IPolicyLoss =>
        services.AddComponent<IPolicyLoss, TImplementation>(name);

    /// <summary>Registers a loss aggregation of policy-gradient objectives under <paramref name="name"/>.</summary>
    public static IServiceCollection AddLossAggregation<TImplementation>(this IServiceCollection services, string name)
        where TImplementation : class, ILossAggregation =>
        services.AddComponent<ILossAggregation, TImplementation>(name);

    /// <summary>Registers a per-token KL estimator of policy-gradient objectives under <paramref name="name"/>.</summary>
    public static IServiceCollection AddKlEstimator<TImplementation>(this IServiceCollection services, string name)
        where TImplementation : class, IKlEstimator =>
        services.AddComponent<IKlEstimator, TImplementation>(name);

    /// <summary>Registers a reward-to-token placement of policy-gradient objectives under <paramref name="name"/>.</summary>
    public static IServiceCollection AddRewardPlacement<TImplementation>(this IServiceCollection services, string name)
        where TImplementation : class, IRewardPlacement =>
        services.AddComponent<IRewardPlacement, TImplementation>(name);

    /// <summary>Registers a tool the model calls in its text under <paramref name="name"/>.</summary>
    public static IServiceCollection AddTool<TImplementation>(this IServiceCollection services, string name)
        where TImplementation : class, ITool =>
        services.AddComponent<ITool, TImplementation>(name);

    /// <summary>
    /// Registers <typeparamref name="TImplementation"/> as the component <paramref name="name"/> of the kind whose
    /// service interface is <typeparamref name="TService"/>, without options.
    /// </summary>
    /// <exception cref="ArgumentException">The name is not lowercase kebab-case, or <typeparamref name="TService"/> is no component interface.</exception>
    public static IServiceCollection AddComponent<TService, TImplementation>(this IServiceCollection services, string name)
        where TService : class where TImplementation : class, TService
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddDescriptor<TService, TImplementation>(name, optionsType: null, section: null);
        return services;
    }

    /// <summary>
    /// Registers <typeparamref name="TImplementation"/> as the component <paramref name="name"/> and binds
    /// <typeparamref name="TOptions"/> from <paramref name="section"/> with validation on start.
    /// </summary>
    /// <returns>The options builder, for further validation rules.</returns>
    /// <exception cref="ArgumentException">The name is not lowercase kebab-case, or <typeparamref name="TService"/> is no component interface.</exception>
    public static OptionsBuilder<TOptions> AddComponent<TService, TImplementation, TOptions>(this IServiceCollection services, string name, string section)
        where TService : class where TImplementation : class, TService where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(section);
        services.AddDescriptor<TService, TImplementation>(name, typeof(TOptions), section);
        return services.AddComponentOptions<TOptions>(section);
    }

    /// <summary>
    /// Binds <typeparamref name="TOptions"/> from <paramref name="section"/>: unknown keys are errors, data
    /// annotations are checked (failures name the full configuration path), and every rule runs when the host
    /// starts. Safe to call twice for one type.
    /// </summary>
    public static OptionsBuilder<TOptions> AddComponentOptions<TOptions>(this IServiceCollection services, string section)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ImplementationInstance is OptionsSection registered && registered.OptionsType == typeof(TOptions)))
            return new OptionsBuilder<TOptions>(services, Options.DefaultName);

        services.AddSingleton(new OptionsSection(typeof(TOptions), section));
        services.AddSingleton<IValidateOptions<TOptions>>(new SectionDataAnnotationsValidator<TOptions>(section));
        return services.AddOptions<TOptions>()
            .BindConfiguration(section, binder => binder.ErrorOnUnknownConfiguration = true)
            .ValidateOnStart();
    }

    private static void AddDescriptor<TService, TImplementation>(this IServiceCollection services, string name, Type? optionsType, string? section)
        where TService : class where TImplementation : class, TService
    {
        if (!s_kinds.TryGetValue(typeof(TService), out var kind))
            throw new ArgumentException($"{typeof(TService).Name} is not a component interface; use one of {string.Join(", ", s_kinds.Keys.Select(t => t.Name))}.", nameof(TService));
        if (name is null || !KebabCase().IsMatch(name))
            throw new ArgumentException($"Component name '{name}' must be lowercase kebab-case, for example \"dr-grpo\".", nameof(name));

        services.AddSingleton(new ComponentDescriptor(kind, name, typeof(TService), typeof(TImplementation), optionsType, section));
        services.AddKeyedSingleton<TService, TImplementation>(name);
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex KebabCase();
}
