// What the plugin reads from a tokenizer.json itself, beside what the native library does with it: the token ids
// (for the vocabulary size and the special tokens), the unknown token, and how many special tokens the
// post-processor wraps around an encoded text, so that Encode can return the text's tokens alone.
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Rlvr.Plugins.HfTokenizer;

internal sealed class TokenizerFile
{
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);

    private TokenizerFile(JsonObject document, string source)
    {
        Document = document;
        var model = document["model"] as JsonObject ?? throw Invalid(source, "it has no \"model\"");
        string type = model["type"]?.GetValue<string>() ?? "BPE";
        if (type != "BPE")
            throw Invalid(source, $"its model is \"{type}\"; only BPE models (byte-level or SentencePiece-style) are supported");
        foreach (var (token, id) in model["vocab"] as JsonObject ?? throw Invalid(source, "its BPE model has no \"vocab\""))
            _ids[token] = id!.GetValue<int>();
        foreach (var added in document["added_tokens"] as JsonArray ?? [])
        {
            int id = added!["id"]!.GetValue<int>();
            _ids[added["content"]!.GetValue<string>()] = id;
            if (added["special"]?.GetValue<bool>() == true) SpecialIds.Add(id);
        }
        VocabularySize = _ids.Count == 0 ? 0 : _ids.Values.Max() + 1;
        UnknownId = model["unk_token"]?.GetValue<string>() is { } unk && _ids.TryGetValue(unk, out int unkId) ? unkId : null;
        (AddedBefore, AddedAfter) = Wrapping(document["post_processor"], source);
    }

    /// <summary>The parsed file, written back verbatim by Save.</summary>
    public JsonObject Document { get; }

    /// <summary>One more than the largest token id, of the model's vocabulary and the added tokens.</summary>
    public int VocabularySize { get; }

    /// <summary>The ids of the added tokens marked special: never part of an encoded text, skipped by Decode.</summary>
    public HashSet<int> SpecialIds { get; } = [];

    /// <summary>The id of the model's unknown token; null when it has none (byte-level models need none).</summary>
    public int? UnknownId { get; }

    /// <summary>How many ids the post-processor puts before and after a single encoded text.</summary>
    public int AddedBefore { get; }
    public int AddedAfter { get; }

    public bool TryGetId(string token, out int id) => _ids.TryGetValue(token, out id);

    public static TokenizerFile Parse(string json, string source)
    {
        try
        {
            return new TokenizerFile(JsonNode.Parse(json) as JsonObject ?? throw Invalid(source, "it is not a JSON object"), source);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw Invalid(source, e.Message);
        }
    }

    // The special tokens of the "single" template before and after the text ($A); other post-processors add none,
    // except BERT's and RoBERTa's, which put one before and one after.
    private static (int Before, int After) Wrapping(JsonNode? processor, string source)
    {
        switch (processor?["type"]?.GetValue<string>())
        {
            case null or "ByteLevel":
                return (0, 0);
            case "BertProcessing" or "RobertaProcessing":
                return (1, 1);
            case "Sequence":
                var parts = (processor["processors"] as JsonArray ?? []).Select(p => Wrapping(p, source)).ToList();
                return (parts.Sum(p => p.Before), parts.Sum(p => p.After));
            case "TemplateProcessing":
                var specials = processor["special_tokens"] as JsonObject;
                int before = 0, after = 0;
                bool seenText = false;
                foreach (var piece in processor["single"] as JsonArray ?? [])
                {
                    if (piece?["Sequence"] is not null) { seenText = true; continue; }
                    string id = piece?["SpecialToken"]?["id"]?.GetValue<string>() ?? throw Invalid(source, "a post-processor template piece is neither a sequence nor a special token");
                    int count = (specials?[id]?["ids"] as JsonArray)?.Count ?? 1;
                    if (seenText) after += count; else before += count;
                }
                return (before, after);
            case var other:
                throw Invalid(source, $"its post-processor \"{other}\" is not supported");
        }
    }

    private static InvalidDataException Invalid(string source, string why) => new($"{source} is not a tokenizer.json this plugin reads: {why}.");
}
