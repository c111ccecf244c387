// The parts of a model folder's tokenizer_config.json the plugin uses: the names of the special tokens and the chat
// template. A token is written either as its text or as an object with "content".
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Rlvr.Plugins.HfTokenizer;

internal sealed record TokenizerConfig(string? BosToken, string? EosToken, string? PadToken, string? ChatTemplate)
{
    public static TokenizerConfig Empty { get; } = new(null, null, null, null);

    public static TokenizerConfig Read(string path)
    {
        if (!File.Exists(path)) return Empty;
        try
        {
            var json = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new InvalidDataException($"{path} is not a JSON object.");
            return new TokenizerConfig(Token(json["bos_token"]), Token(json["eos_token"]), Token(json["pad_token"]), Template(json["chat_template"]));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new InvalidDataException($"{path} is not a tokenizer_config.json: {e.Message}", e);
        }
    }

    private static string? Token(JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue(out string? text) => text,
        JsonObject token => token["content"]?.GetValue<string>(),
        _ => null,
    };

    // A single template, or a list of named ones of which "default" is used.
    private static string? Template(JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue(out string? text) => text,
        JsonArray named => named.FirstOrDefault(t => t?["name"]?.GetValue<string>() == "default")?["template"]?.GetValue<string>(),
        _ => null,
    };
}
