using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Rlvr.Plugins.Llama;

namespace Rlvr;

public static class LlamaServiceCollectionExtensions
{
    /// <summary>Adds the Llama-family decoder under <paramref name="name"/>, with options bound from <paramref name="section"/>.</summary>
    public static IServiceCollection AddLlama(this IServiceCollection services, string name = "llama", string section = LlamaOptions.Section)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddModelArchitecture<LlamaArchitecture, LlamaOptions>(name, section);
        services.AddSingleton<IValidateOptions<LlamaOptions>>(new ShapeValidator(section));
        return services;
    }

    // What [Range] cannot say: the folder holds a config.json, or a fresh model's keys make a buildable shape (the
    // rules config.json is read by). Out-of-range values are left to [Range], so each is reported once.
    private sealed class ShapeValidator(string section) : IValidateOptions<LlamaOptions>
    {
        public ValidateOptionsResult Validate(string? name, LlamaOptions o)
        {
            var unknown = (o.LoraTargets ?? []).Except(LlamaOptions.AllLoraTargets).ToList();
            if (unknown.Count > 0)
                return ValidateOptionsResult.Fail($"{section}:LoraTargets: unknown projection(s) {string.Join(", ", unknown)}; choose from {string.Join(", ", LlamaOptions.AllLoraTargets)}.");
            if (!string.IsNullOrEmpty(o.Path))
                return File.Exists(Path.Combine(o.Path, LlamaConfig.FileName)) ? ValidateOptionsResult.Success
                    : ValidateOptionsResult.Fail($"{section}:Path: no {LlamaConfig.FileName} in '{o.Path}' (give a Hugging Face model folder).");
            if (!Validator.TryValidateObject(o, new ValidationContext(o), null, validateAllProperties: true)) return ValidateOptionsResult.Skip;
            var problems = LlamaConfig.FromOptions(o, vocabularySize: 1).Problems(section);
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
