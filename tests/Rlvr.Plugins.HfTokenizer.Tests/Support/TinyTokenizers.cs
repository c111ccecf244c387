// Two small tokenizer.json files written by hand, in the layouts Hugging Face saves:
//  - byte-level BPE (GPT-2, Qwen2, Llama 3): token ids 0..255 are the bytes (written through GPT-2's byte-to-character
//    table), then the merges' tokens from 256, then the special tokens;
//  - SentencePiece-style BPE (Llama 2, TinyLlama): <unk> <s> </s>, the byte tokens <0x00>..<0xFF> at 3..258, a few
//    characters, then the merges' tokens; spaces become '▁' and the text gets a leading '▁'.
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Rlvr.Plugins.HfTokenizer;

namespace Rlvr.Plugins.HfTokenizer.Tests.Support;

internal sealed class TinyTokenizers : IDisposable
{
    // Byte-level: "hello" = 259, " the" = 261 (see ByteLevelTests), the specials at 262..264.
    public static readonly string[] ByteLevelMerges = ["h e", "l l", "he ll", "hell o", "Ġ t", "Ġt he"];
    public const int EndOfText = 262, ImStart = 263, ImEnd = 264;

    // SentencePiece-style: "▁hello" = 271, "▁wor" = 274.
    public static readonly string[] PieceCharacters = ["▁", "h", "e", "l", "o", "w", "r", "d"];
    public static readonly string[] PieceMerges = ["▁ h", "l l", "▁h e", "▁he ll", "▁hell o", "▁ w", "o r", "▁w or"];

    public string Folder { get; } = Directory.CreateTempSubdirectory("rlvr-hf-tokenizer-").FullName;

    public void Dispose() => Directory.Delete(Folder, recursive: true);

    /// <summary>A model folder with the byte-level tokenizer.json and, when given, a tokenizer_config.json.</summary>
    public string ByteLevel(string name, JsonObject? config = null)
    {
        var vocab = new JsonObject();
        var table = ByteToCharacter();
        for (int b = 0; b < 256; b++) vocab[table[b].ToString()] = b;
        int id = 256;
        foreach (string merge in ByteLevelMerges) vocab[merge.Replace(" ", "")] = id++;
        return Write(name, ByteLevelDocument(vocab, ByteLevelMerges, (EndOfText, "<|endoftext|>"), (ImStart, "<|im_start|>"), (ImEnd, "<|im_end|>")), config);
    }

    /// <summary>A byte-level BPE tokenizer.json (GPT-2's pre-tokeniser, post-processor and decoder) of a vocabulary, merges and special tokens.</summary>
    public static JsonObject ByteLevelDocument(JsonObject vocab, IEnumerable<string> merges, params (int Id, string Content)[] specials)
    {
        var byteLevel = () => new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = true, ["use_regex"] = true };
        return new JsonObject
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = new JsonArray([.. specials.Select(s => (JsonNode)Added(s.Id, s.Content))]),
            ["normalizer"] = null,
            ["pre_tokenizer"] = byteLevel(),
            ["post_processor"] = byteLevel(),
            ["decoder"] = byteLevel(),
            ["model"] = Bpe(vocab, merges, unk: null, byteFallback: false),
        };
    }

    /// <summary>A model folder with the SentencePiece-style tokenizer.json, whose post-processor puts &lt;s&gt; first.</summary>
    public string SentencePiece(string name, bool byteFallback = true, JsonObject? config = null)
    {
        var vocab = new JsonObject { ["<unk>"] = 0, ["<s>"] = 1, ["</s>"] = 2 };
        int id = 3;
        for (int b = 0; b < 256; b++) vocab[$"<0x{b:X2}>"] = id++;
        foreach (string c in PieceCharacters) vocab[c] = id++;
        foreach (string merge in PieceMerges) vocab[merge.Replace(" ", "")] = id++;
        return Write(name, new JsonObject
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = new JsonArray(Added(0, "<unk>"), Added(1, "<s>"), Added(2, "</s>")),
            ["normalizer"] = new JsonObject
            {
                ["type"] = "Sequence",
                ["normalizers"] = new JsonArray(
                    new JsonObject { ["type"] = "Prepend", ["prepend"] = "▁" },
                    new JsonObject { ["type"] = "Replace", ["pattern"] = new JsonObject { ["String"] = " " }, ["content"] = "▁" }),
            },
            ["pre_tokenizer"] = null,
            ["post_processor"] = new JsonObject
            {
                ["type"] = "TemplateProcessing",
                ["single"] = new JsonArray(
                    new JsonObject { ["SpecialToken"] = new JsonObject { ["id"] = "<s>", ["type_id"] = 0 } },
                    new JsonObject { ["Sequence"] = new JsonObject { ["id"] = "A", ["type_id"] = 0 } }),
                ["pair"] = new JsonArray(
                    new JsonObject { ["Sequence"] = new JsonObject { ["id"] = "A", ["type_id"] = 0 } },
                    new JsonObject { ["Sequence"] = new JsonObject { ["id"] = "B", ["type_id"] = 1 } }),
                ["special_tokens"] = new JsonObject { ["<s>"] = new JsonObject { ["id"] = "<s>", ["ids"] = new JsonArray(1), ["tokens"] = new JsonArray("<s>") } },
            },
            ["decoder"] = new JsonObject
            {
                ["type"] = "Sequence",
                ["decoders"] = new JsonArray(
                    new JsonObject { ["type"] = "Replace", ["pattern"] = new JsonObject { ["String"] = "▁" }, ["content"] = " " },
                    new JsonObject { ["type"] = "ByteFallback" },
                    new JsonObject { ["type"] = "Fuse" },
                    new JsonObject { ["type"] = "Strip", ["content"] = " ", ["start"] = 1, ["stop"] = 0 }),
            },
            ["model"] = Bpe(vocab, PieceMerges, unk: "<unk>", byteFallback: byteFallback),
        }, config);
    }

    public static HfTokenizerFactory Factory(string path, string chatTemplate = "auto", string? bos = null, string? eos = null, string? pad = null) =>
        new(Options.Create(new HfTokenizerOptions { Path = path, ChatTemplate = chatTemplate, Bos = bos, Eos = eos, Pad = pad }));

    public static HfTokenizer Create(string path, string chatTemplate = "auto", string alphabet = "") =>
        (HfTokenizer)Factory(path, chatTemplate).Create(alphabet);

    /// <summary>GPT-2's table from bytes to printable characters: printable Latin-1 bytes stand for themselves, the rest for 256 upward.</summary>
    public static char[] ByteToCharacter()
    {
        var table = new char[256];
        int next = 256;
        for (int b = 0; b < 256; b++)
            table[b] = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF ? (char)b : (char)next++;
        return table;
    }

    /// <summary>A model folder holding <paramref name="tokenizer"/> and, when given, a tokenizer_config.json.</summary>
    public string Write(string name, JsonObject tokenizer, JsonObject? config = null)
    {
        string folder = Directory.CreateDirectory(Path.Combine(Folder, name)).FullName;
        File.WriteAllText(Path.Combine(folder, "tokenizer.json"), tokenizer.ToJsonString());
        if (config is not null) File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), config.ToJsonString());
        return folder;
    }

    private static JsonObject Bpe(JsonObject vocab, IEnumerable<string> merges, string? unk, bool byteFallback) => new()
    {
        ["type"] = "BPE",
        ["dropout"] = null,
        ["unk_token"] = unk,
        ["continuing_subword_prefix"] = null,
        ["end_of_word_suffix"] = null,
        ["fuse_unk"] = unk is not null,
        ["byte_fallback"] = byteFallback,
        ["vocab"] = vocab,
        ["merges"] = new JsonArray([.. merges.Select(m => (JsonNode)m)]),
    };

    private static JsonObject Added(int id, string content) => new()
    {
        ["id"] = id, ["content"] = content, ["single_word"] = false, ["lstrip"] = false, ["rstrip"] = false, ["normalized"] = false, ["special"] = true,
    };
}
