using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Rlvr.Plugins.HfTokenizer;
using Rlvr.Tokenizers;

namespace Rlvr;

/// <summary>Registers the Hugging Face tokenizer.json tokenizer as <c>"hf-tokenizer"</c>, options from <c>"Tokenizers:HuggingFace"</c>.</summary>
public sealed class HfTokenizerPlugin : IRlvrPlugin
{
    public void ConfigureServices(IServiceCollection services, IConfiguration configuration) => services.AddHfTokenizer();
}

public static class HfTokenizerServiceCollectionExtensions
{
    /// <summary>Adds the tokenizer.json tokenizer under <paramref name="name"/>, options bound from <paramref name="section"/>.</summary>
    public static IServiceCollection AddHfTokenizer(this IServiceCollection services, string name = HfTokenizer.Kind, string section = HfTokenizerOptions.Section)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddComponent<ITokenizerFactory, HfTokenizerFactory, HfTokenizerOptions>(name, section)
            .Validate(o => string.IsNullOrEmpty(o.Path) || File.Exists(HfTokenizerFactory.Locate(o.Path).Tokenizer),
                $"{section}:Path: no tokenizer.json there (give the file, or a model folder that holds it).");
        return services;
    }
}
