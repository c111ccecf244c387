namespace Rlvr;

/// <summary>
/// Records that <paramref name="OptionsType"/> binds from the configuration section <paramref name="Section"/>.
/// <see cref="RlvrServiceCollectionExtensions.AddComponentOptions{TOptions}"/> registers one for every options
/// type, so the host can validate every section at once and report sections that nothing reads.
/// </summary>
/// <param name="OptionsType">The options type.</param>
/// <param name="Section">The configuration path it binds from, for example <c>"Models:Transformer"</c>.</param>
public sealed record OptionsSection(Type OptionsType, string Section);
