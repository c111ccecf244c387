using Microsoft.Extensions.Options;
using Rlvr.Host.Plugins;

namespace Rlvr.Host.Configuration;

/// <summary>Every component a run selects must be registered under that name, as that kind.</summary>
internal sealed class ComponentSelectionValidator(ComponentCatalog catalog) : IValidateOptions<ComponentSelection>
{
    public ValidateOptionsResult Validate(string? name, ComponentSelection options)
    {
        var failures = options.Selected()
            .Select(s => catalog.Explain(s.Kind, s.Name) is { } why ? $"{s.Key} = '{s.Name}': {why}" : null)
            .OfType<string>()
            .ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
