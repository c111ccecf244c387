// Options binding as the host does it: unknown values and missing files fail on start, naming the key.
using Microsoft.Extensions.DependencyInjection;
using Rlvr.Testing;
using Rlvr.Tokenizers;

namespace Rlvr.Plugins.HfTokenizer.Tests;

public sealed class OptionsTests
{
    [Fact]
    public void A_path_without_a_tokenizer_json_fails_on_start_naming_the_key()
    {
        var error = PluginServices.ValidateOnStart(new HfTokenizerPlugin(), ("Tokenizers:HuggingFace:Path", "/nonexistent/model"));

        Assert.Contains("Tokenizers:HuggingFace:Path", error.Message);
    }

    [Fact]
    public void An_unknown_chat_template_fails_on_start_naming_the_key()
    {
        var error = PluginServices.ValidateOnStart(new HfTokenizerPlugin(), ("Tokenizers:HuggingFace:ChatTemplate", "vicuna"));

        Assert.Contains("Tokenizers:HuggingFace:ChatTemplate", error.Message);
    }

    [Fact]
    public void Using_the_tokenizer_without_a_path_says_which_key_to_set()
    {
        using var provider = PluginServices.Build(new HfTokenizerPlugin());

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredKeyedService<ITokenizerFactory>("hf-tokenizer").Create("abc"));
        Assert.Contains("Tokenizers:HuggingFace:Path", error.Message);
    }
}
