using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Rlvr;

/// <summary>
/// Validates the data annotations of options bound from a configuration section, and words each failure with the
/// full configuration path, the value found and, for a closed set, the allowed values: what a researcher must edit.
/// </summary>
internal sealed class SectionDataAnnotationsValidator<TOptions>(string section) : IValidateOptions<TOptions> where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var failures = new List<string>();
        foreach (var property in typeof(TOptions).GetProperties().Where(p => p.CanRead && p.GetIndexParameters().Length == 0))
        {
            object? value = property.GetValue(options);
            var context = new ValidationContext(options) { MemberName = property.Name, DisplayName = property.Name };
            foreach (var attribute in property.GetCustomAttributes(typeof(ValidationAttribute), inherit: true).Cast<ValidationAttribute>())
            {
                if (attribute.GetValidationResult(value, context) is not { } result) continue;
                string reason = attribute is AllowedValuesAttribute allowed
                    ? $"must be one of {string.Join(", ", allowed.Values.Select(v => $"'{v}'"))}"
                    : result.ErrorMessage ?? "is not valid";
                failures.Add($"{section}:{property.Name} = '{value}': {reason}");
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
