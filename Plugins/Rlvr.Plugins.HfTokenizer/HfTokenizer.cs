// A Hugging Face tokenizer.json behind ITokenizer. The Rust tokenizers library (Tokenizers.DotNet) does the
// encoding and decoding, so ids match Hugging Face's own tokenizer; this class maps its conventions to the host's:
// Encode returns the text's tokens without the ones the post-processor adds (the host prepends Bos itself), and
// Decode skips special tokens and ids the file does not define.
using System.Text.Json;
using System.Text.Json.Nodes;
using Rlvr.Tokenizers;

namespace Rlvr.Plugins.HfTokenizer;

internal sealed class HfTokenizer : ITokenizer
{
    internal const string Kind = "hf-tokenizer";

    private readonly TokenizerFile _file;
    private readonly global::Tokenizers.DotNet.Tokenizer _native;
    private readonly Lock _lock = new();   // the native handle is not documented as safe to share between threads

    /// <param name="file">The parsed tokenizer.json.</param>
    /// <param name="path">The same file on disk: the native library reads only from a path.</param>
    /// <param name="specials">The beginning, end and padding tokens, by text.</param>
    /// <param name="chatTemplate">none, chatml or llama3.</param>
    public HfTokenizer(TokenizerFile file, string path, SpecialTokens specials, string chatTemplate)
    {
        _file = file;
        Specials = specials;
        ChatTemplate = chatTemplate;
        Bos = Id(specials.Bos, "Bos");
        Eos = Id(specials.Eos, "Eos");
        Pad = Id(specials.Pad, "Pad");
        try { _native = new global::Tokenizers.DotNet.Tokenizer(path); }
        catch (global::Tokenizers.DotNet.TokenizerException e) { throw new InvalidDataException($"{path}: {e.Message}", e); }
    }

    public int VocabularySize => _file.VocabularySize;
    public int Bos { get; }
    public int Eos { get; }
    public int Pad { get; }
    public SpecialTokens Specials { get; }
    public string ChatTemplate { get; }

    public int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        uint[] ids;
        lock (_lock) ids = _native.Encode(text);
        int before = _file.AddedBefore, count = ids.Length - before - _file.AddedAfter;
        return [.. ids.AsSpan(before, Math.Max(count, 0)).ToArray().Select(id => (int)id)];
    }

    public string Decode(ReadOnlySpan<int> ids)
    {
        var kept = new List<uint>(ids.Length);
        foreach (int id in ids)
            if (id >= 0 && id < _file.VocabularySize && !_file.SpecialIds.Contains(id)) kept.Add((uint)id);
        if (kept.Count == 0) return "";
        lock (_lock) return _native.Decode([.. kept]);
    }

    /// <summary>The conversation as text in this tokenizer's chat format (<see cref="ChatTemplates"/>).</summary>
    public string ApplyChatTemplate(IEnumerable<ChatMessage> messages, bool addGenerationPrompt) =>
        ChatTemplates.Render(ChatTemplate, messages, addGenerationPrompt);

    /// <summary>Writes the tokenizer.json inside a small document that also holds the chosen special tokens and chat template.</summary>
    public void Save(string path)
    {
        var saved = new JsonObject
        {
            ["kind"] = Kind,
            ["bos"] = Specials.Bos,
            ["eos"] = Specials.Eos,
            ["pad"] = Specials.Pad,
            ["chatTemplate"] = ChatTemplate,
            ["tokenizer"] = _file.Document.DeepClone(),
        };
        File.WriteAllText(path, saved.ToJsonString());
    }

    public static HfTokenizer Load(string path)
    {
        JsonObject saved;
        try { saved = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new InvalidDataException($"{path} is not a JSON object."); }
        catch (JsonException e) { throw new InvalidDataException($"{path} is not a tokenizer file: {e.Message}", e); }
        if (saved["kind"]?.GetValue<string>() != Kind || saved["tokenizer"] is not JsonObject document)
            throw new InvalidDataException($"{path} is not a '{Kind}' tokenizer file.");
        var specials = new SpecialTokens(Text(saved, "bos", path), Text(saved, "eos", path), Text(saved, "pad", path));
        string json = document.ToJsonString();

        // The native library reads only from a path: hand it the inner tokenizer.json through a temporary file.
        string temporary = System.IO.Path.GetTempFileName();
        try
        {
            File.WriteAllText(temporary, json);
            return new HfTokenizer(TokenizerFile.Parse(json, path), temporary, specials, Text(saved, "chatTemplate", path));
        }
        finally { File.Delete(temporary); }
    }

    private int Id(string token, string key) =>
        _file.TryGetId(token, out int id) ? id
            : throw new InvalidDataException($"{HfTokenizerOptions.Section}:{key}: the token \"{token}\" is not in the tokenizer's vocabulary.");

    private static string Text(JsonObject saved, string key, string path) =>
        saved[key]?.GetValue<string>() ?? throw new InvalidDataException($"{path} has no \"{key}\".");
}

/// <summary>The texts of the beginning, end and padding tokens.</summary>
internal sealed record SpecialTokens(string Bos, string Eos, string Pad);
