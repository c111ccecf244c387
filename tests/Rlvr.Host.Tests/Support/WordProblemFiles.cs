// Word-problem files for tests: GSM8K-style JSONL lines and the smallest tokenizer.json that encodes any text.
using System.Text.Json.Nodes;

namespace Rlvr.Host.Tests.Support;

internal static class WordProblemFiles
{
    // "a+b" with a one-line solution: difficulty 1, about 20 tokens with the prompt.
    public static string Line(int a) => new JsonObject { ["question"] = $"{a}+{a + 1}", ["answer"] = $"{a}+{a + 1}={2 * a + 1}\n#### {2 * a + 1}" }.ToJsonString();

    // The smallest SentencePiece-style tokenizer.json: <unk> <s> </s>, then the 256 byte tokens; no merges.
    public static JsonObject ByteFallbackTokenizer()
    {
        var vocab = new JsonObject { ["<unk>"] = 0, ["<s>"] = 1, ["</s>"] = 2 };
        for (int b = 0; b < 256; b++) vocab[$"<0x{b:X2}>"] = 3 + b;
        JsonObject Special(int id, string content) => new() { ["id"] = id, ["content"] = content, ["single_word"] = false, ["lstrip"] = false, ["rstrip"] = false, ["normalized"] = false, ["special"] = true };
        return new JsonObject
        {
            ["version"] = "1.0", ["truncation"] = null, ["padding"] = null,
            ["added_tokens"] = new JsonArray(Special(0, "<unk>"), Special(1, "<s>"), Special(2, "</s>")),
            ["normalizer"] = null, ["pre_tokenizer"] = null, ["post_processor"] = null,
            ["decoder"] = new JsonObject { ["type"] = "Sequence", ["decoders"] = new JsonArray(new JsonObject { ["type"] = "ByteFallback" }, new JsonObject { ["type"] = "Fuse" }) },
            ["model"] = new JsonObject
            {
                ["type"] = "BPE", ["dropout"] = null, ["unk_token"] = "<unk>", ["continuing_subword_prefix"] = null, ["end_of_word_suffix"] = null,
                ["fuse_unk"] = true, ["byte_fallback"] = true, ["vocab"] = vocab, ["merges"] = new JsonArray(),
            },
        };
    }
}
