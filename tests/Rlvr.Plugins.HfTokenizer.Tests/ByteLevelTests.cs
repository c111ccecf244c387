// The byte-level tokenizer of TinyTokenizers: ids worked out by hand from its merges and byte table.
using System.Text.Json.Nodes;
using Rlvr.Plugins.HfTokenizer.Tests.Support;

namespace Rlvr.Plugins.HfTokenizer.Tests;

public sealed class ByteLevelTests : IDisposable
{
    private readonly TinyTokenizers _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Encodes_words_by_the_merges_and_the_rest_byte_by_byte()
    {
        var tokenizer = TinyTokenizers.Create(_files.ByteLevel("gpt"));

        // "hello": he, ll, hell, hello = 259; " the": he first, then Ġt, then Ġthe = 261; " world": no merge, its bytes.
        Assert.Equal([259, 261, ' ', 'w', 'o', 'r', 'l', 'd'], tokenizer.Encode("hello the world"));
        Assert.Equal(265, tokenizer.VocabularySize);
    }

    [Theory]
    [InlineData("hello the world")]
    [InlineData("Tabs\tand\nnewlines,  double  spaces!")]
    [InlineData("héllo 日本 🙂 ½")]
    public void Decoding_an_encoding_gives_the_text_back(string text)
    {
        var tokenizer = TinyTokenizers.Create(_files.ByteLevel("gpt"));

        Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text)));
    }

    [Fact]
    public void Non_ascii_characters_are_their_utf8_bytes()
    {
        var tokenizer = TinyTokenizers.Create(_files.ByteLevel("gpt"));

        Assert.Equal([0xC3, 0xA9, ' ', 0xE6, 0x97, 0xA5], tokenizer.Encode("é 日"));
    }

    [Fact]
    public void Special_tokens_in_the_text_encode_as_their_ids_and_decoding_skips_them()
    {
        var tokenizer = TinyTokenizers.Create(_files.ByteLevel("gpt"));

        int[] ids = tokenizer.Encode("<|im_start|>user\nhello<|im_end|>");

        Assert.Equal([TinyTokenizers.ImStart, 'u', 's', 'e', 'r', '\n', 259, TinyTokenizers.ImEnd], ids);
        Assert.Equal("user\nhello", tokenizer.Decode(ids));
        Assert.Equal("hello", tokenizer.Decode([tokenizer.Bos, 259, tokenizer.Eos, tokenizer.Pad]));
    }

    [Fact]
    public void Without_tokenizer_config_the_end_of_text_token_begins_ends_and_pads()
    {
        var tokenizer = TinyTokenizers.Create(_files.ByteLevel("gpt"));

        Assert.Equal((TinyTokenizers.EndOfText, TinyTokenizers.EndOfText, TinyTokenizers.EndOfText), (tokenizer.Bos, tokenizer.Eos, tokenizer.Pad));
    }

    [Fact]
    public void Tokenizer_config_names_the_special_tokens_as_text_or_as_objects()
    {
        var config = new JsonObject
        {
            ["bos_token"] = null,
            ["eos_token"] = new JsonObject { ["content"] = "<|im_end|>", ["special"] = true },
            ["pad_token"] = "<|endoftext|>",
        };
        var tokenizer = TinyTokenizers.Create(_files.ByteLevel("qwen", config));

        // No bos_token (as in Qwen2): the end token begins sequences too.
        Assert.Equal((TinyTokenizers.ImEnd, TinyTokenizers.ImEnd, TinyTokenizers.EndOfText), (tokenizer.Bos, tokenizer.Eos, tokenizer.Pad));
    }

    [Fact]
    public void Options_override_the_special_tokens_and_an_unknown_one_is_refused_by_its_key()
    {
        string folder = _files.ByteLevel("gpt");
        var tokenizer = TinyTokenizers.Factory(folder, bos: "<|im_start|>", eos: "<|im_end|>", pad: "<|endoftext|>").Create("");

        Assert.Equal((TinyTokenizers.ImStart, TinyTokenizers.ImEnd, TinyTokenizers.EndOfText), (tokenizer.Bos, tokenizer.Eos, tokenizer.Pad));
        var error = Assert.Throws<InvalidDataException>(() => TinyTokenizers.Factory(folder, eos: "<eos>").Create(""));
        Assert.Contains("Tokenizers:HuggingFace:Eos", error.Message);
    }

    [Fact]
    public void A_saved_tokenizer_loads_with_the_same_ids_and_special_tokens()
    {
        string folder = _files.ByteLevel("gpt");
        var tokenizer = TinyTokenizers.Factory(folder, chatTemplate: "chatml", eos: "<|im_end|>").Create("");
        string saved = Path.Combine(_files.Folder, "saved.json");
        tokenizer.Save(saved);

        var loaded = HfTokenizer.Load(saved);

        Assert.Equal(tokenizer.Encode("héllo the world"), loaded.Encode("héllo the world"));
        Assert.Equal((tokenizer.Bos, tokenizer.Eos, tokenizer.Pad, tokenizer.VocabularySize), (loaded.Bos, loaded.Eos, loaded.Pad, loaded.VocabularySize));
        Assert.Equal("chatml", loaded.ChatTemplate);
    }

    [Fact]
    public void A_file_that_is_not_a_saved_tokenizer_is_refused()
    {
        string folder = _files.ByteLevel("gpt");

        // The raw tokenizer.json lacks the saved document's special tokens.
        Assert.Throws<InvalidDataException>(() => HfTokenizer.Load(Path.Combine(folder, "tokenizer.json")));
    }
}
