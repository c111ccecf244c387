// Rules for each element of a list option (a mixture band, a stage), each failure worded with the element's full
// configuration path (Curricula:Mixture:Bands:1:Max): the section-level validator reads top-level keys only.
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Rlvr.Plugins.Curricula;

/// <summary>A rule that element <c>i</c> of a list must keep, and the failure message given the element's path.</summary>
internal sealed record ElementRule<TElement>(Func<IReadOnlyList<TElement>, int, bool> Holds, Func<TElement, string, string> Message);

internal sealed class ElementValidator<TOptions, TElement>(string path, Func<TOptions, IReadOnlyList<TElement>> elements, ElementRule<TElement>[] rules)
    : IValidateOptions<TOptions> where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var list = elements(options);
        var failures = new List<string>();
        for (int i = 0; i < list.Count; i++)
            failures.AddRange(rules.Where(rule => !rule.Holds(list, i)).Select(rule => rule.Message(list[i], $"{path}:{i}")));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

internal static class ElementValidation
{
    /// <summary>Checks every element of the list at <paramref name="path"/> against <paramref name="rules"/> when options are validated.</summary>
    public static OptionsBuilder<TOptions> ValidateEach<TOptions, TElement>(this OptionsBuilder<TOptions> builder, string path,
        Func<TOptions, IReadOnlyList<TElement>> elements, params ElementRule<TElement>[] rules) where TOptions : class
    {
        builder.Services.AddSingleton<IValidateOptions<TOptions>>(new ElementValidator<TOptions, TElement>(path, elements, rules));
        return builder;
    }
}
