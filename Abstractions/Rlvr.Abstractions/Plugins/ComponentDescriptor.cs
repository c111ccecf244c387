namespace Rlvr;

/// <summary>
/// Describes one named component in the host's catalog: what kind it is, which type implements it and which
/// configuration section holds its options.
/// </summary>
/// <param name="Kind">The kind of component.</param>
/// <param name="Name">The name studies use to pick it, in lowercase kebab-case (for example <c>"transformer"</c>).</param>
/// <param name="ServiceType">The service interface of <paramref name="Kind"/>.</param>
/// <param name="ImplementationType">The type that implements it.</param>
/// <param name="OptionsType">The options type bound for it, if any.</param>
/// <param name="ConfigSection">The configuration section its options bind from, if any (for example <c>"Models:Transformer"</c>).</param>
public sealed record ComponentDescriptor(
    ComponentKind Kind,
    string Name,
    Type ServiceType,
    Type ImplementationType,
    Type? OptionsType,
    string? ConfigSection);
