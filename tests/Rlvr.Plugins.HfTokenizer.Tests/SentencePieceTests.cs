// The SentencePiece-style tokenizer of TinyTokenizers: ids worked out by hand from its merges.
using Rlvr.Plugins.HfTokenizer.Tests.Support;

namespace Rlvr.Plugins.HfTokenizer.Tests;

public sealed class SentencePieceTests : IDisposable
{
    private readonly TinyTokenizers _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Encodes_without_the_beginning_token_the_post_processor_adds()
    {
        var tokenizer = TinyTokenizers.Create(_files.SentencePiece("llama"));

        // "▁hello▁world": ▁h, ll, ▁he, ▁hell, ▁hello = 271; ▁w, or, ▁wor = 274; then l = 262 and d = 266.
        Assert.Equal([271, 274, 262, 266], tokenizer.Encode("hello world"));
        Assert.Equal("hello world", tokenizer.Decode([tokenizer.Bos, 271, 274, 262, 266, tokenizer.Eos]));
    }

    [Fact]
    public void Characters_outside_the_vocabulary_fall_back_to_their_bytes()
    {
        var tokenizer = TinyTokenizers.Create(_files.SentencePiece("llama"));

        // '▁' = 259, then é's UTF-8 bytes C3 A9 as <0xC3> = 3 + 0xC3 and <0xA9> = 3 + 0xA9.
        Assert.Equal([271, 259, 3 + 0xC3, 3 + 0xA9], tokenizer.Encode("hello é"));
    }

    [Theory]
    [InlineData("hello world")]
    [InlineData("héllo 日本 🙂")]
    [InlineData("two  spaces\nand a newline")]
    public void Decoding_an_encoding_gives_the_text_back(string text)
    {
        var tokenizer = TinyTokenizers.Create(_files.SentencePiece("llama"));

        Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text)));
    }

    [Fact]
    public void The_usual_names_give_the_special_tokens_without_tokenizer_config()
    {
        var tokenizer = TinyTokenizers.Create(_files.SentencePiece("llama"));

        Assert.Equal((1, 2, 2), (tokenizer.Bos, tokenizer.Eos, tokenizer.Pad));
        Assert.Equal(3 + 256 + 8 + 8, tokenizer.VocabularySize);
    }

    [Fact]
    public void A_task_character_the_vocabulary_lacks_is_refused_when_there_is_no_byte_fallback()
    {
        string folder = _files.SentencePiece("strict", byteFallback: false);

        Assert.Equal([271], TinyTokenizers.Create(folder, alphabet: "helo").Encode("hello"));
        var error = Assert.Throws<ArgumentException>(() => TinyTokenizers.Create(folder, alphabet: "hel?"));
        Assert.Contains("'?'", error.Message);
        Assert.Contains("Tokenizers:HuggingFace:Path", error.Message);
    }
}
