// The shape of a Llama-family model, as Hugging Face's config.json says it: read from a model folder, made from
// Models:Llama's keys for a fresh model, and written back beside exported weights. Both sources are checked by the
// same rules, each error naming the field as its source spells it.
using Rlvr.Models;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Rlvr.Plugins.Llama;

/// <summary>Llama 3's rotary scaling (rope_type "llama3"): long wavelengths slowed by Factor, a blend between.</summary>
internal sealed record Llama3RopeScaling(double Factor, double LowFreqFactor, double HighFreqFactor, int OriginalContextLength);

internal sealed record LlamaConfig(
    string ModelType,
    int HiddenSize,
    int Layers,
    int Heads,
    int KeyValueHeads,
    int HeadSize,
    int IntermediateSize,
    int VocabularySize,
    int ContextLength,
    double RmsNormEps,
    double RopeTheta,
    Llama3RopeScaling? RopeScaling,
    bool TieEmbeddings,
    bool AttentionBias)
{
    public const string FileName = ICheckpointExport.ConfigFile;

    // Options key of each config.json field, for errors about a fresh model's options.
    private static readonly Dictionary<string, string> s_optionKeys = new()
    {
        ["hidden_size"] = nameof(LlamaOptions.HiddenSize), ["num_hidden_layers"] = nameof(LlamaOptions.Layers),
        ["num_attention_heads"] = nameof(LlamaOptions.Heads), ["num_key_value_heads"] = nameof(LlamaOptions.KeyValueHeads),
        ["head_dim"] = $"{nameof(LlamaOptions.HiddenSize)} / {nameof(LlamaOptions.Heads)}",
        ["intermediate_size"] = nameof(LlamaOptions.IntermediateSize), ["max_position_embeddings"] = nameof(LlamaOptions.ContextLength),
        ["rope_theta"] = nameof(LlamaOptions.RopeTheta), ["rms_norm_eps"] = nameof(LlamaOptions.RmsNormEps),
        ["vocab_size"] = "the tokenizer's vocabulary size",
    };

    /// <summary>The shape of a fresh model: the options' keys, the tokenizer's vocabulary.</summary>
    public static LlamaConfig FromOptions(LlamaOptions o, int vocabularySize) => new(
        "llama", o.HiddenSize, o.Layers, o.Heads, o.KeyValueHeads, o.Heads > 0 ? o.HiddenSize / o.Heads : 0, o.IntermediateSize, vocabularySize,
        o.ContextLength, o.RmsNormEps, o.RopeTheta, null, o.TieEmbeddings, o.AttentionBias);

    /// <summary>What is wrong with a fresh model's shape, each problem naming its key under <paramref name="section"/>.</summary>
    public IReadOnlyList<string> Problems(string section) =>
        [.. Check(field => $"{section}:{s_optionKeys.GetValueOrDefault(field, field)}").Select(p => $"{p.Field}: {p.Why}")];

    /// <summary>Reads a model folder's config.json.</summary>
    /// <exception cref="InvalidDataException">The file is malformed or describes a model this architecture cannot build; the message names the file and field.</exception>
    public static LlamaConfig Read(string file)
    {
        JsonObject json;
        try { json = JsonNode.Parse(File.ReadAllText(file)) as JsonObject ?? throw new InvalidDataException($"{file}: not a JSON object."); }
        catch (JsonException e) { throw new InvalidDataException($"{file}: not valid JSON: {e.Message}", e); }

        var field = new Fields(json, file);
        string type = field.String("model_type", "llama");
        if (type is not ("llama" or "qwen2" or "mistral"))
            throw new InvalidDataException($"{file}: model_type \"{type}\" is not a Llama-family model (llama, qwen2, mistral).");
        int hidden = field.Int("hidden_size"), heads = field.Int("num_attention_heads");
        var config = new LlamaConfig(
            type, hidden, field.Int("num_hidden_layers"), heads, field.Int("num_key_value_heads", heads),
            field.Int("head_dim", heads > 0 ? hidden / heads : 0), field.Int("intermediate_size"), field.Int("vocab_size"),
            field.Int("max_position_embeddings", 2048), field.Double("rms_norm_eps", 1e-6), field.Double("rope_theta", 10000),
            RopeScalingOf(json["rope_scaling"], file), field.Bool("tie_word_embeddings", false),
            field.Bool("attention_bias", type == "qwen2"));   // Qwen2 has q/k/v biases and writes no attention_bias
        var problems = config.Check(field => field).Select(p => $"{file}: {p.Field}: {p.Why}").ToList();
        return problems.Count == 0 ? config : throw new InvalidDataException(string.Join(Environment.NewLine, problems));
    }

    /// <summary>Writes config.json as Hugging Face's transformers reads it, for weights stored as <paramref name="dtype"/>.</summary>
    public void Write(string file, TorchSharp.torch.ScalarType dtype)
    {
        var json = new JsonObject
        {
            ["architectures"] = new JsonArray(ModelType switch { "qwen2" => "Qwen2ForCausalLM", "mistral" => "MistralForCausalLM", _ => "LlamaForCausalLM" }),
            ["model_type"] = ModelType, ["hidden_size"] = HiddenSize, ["num_hidden_layers"] = Layers,
            ["num_attention_heads"] = Heads, ["num_key_value_heads"] = KeyValueHeads, ["head_dim"] = HeadSize,
            ["intermediate_size"] = IntermediateSize, ["vocab_size"] = VocabularySize, ["max_position_embeddings"] = ContextLength,
            ["rms_norm_eps"] = RmsNormEps, ["rope_theta"] = RopeTheta, ["hidden_act"] = "silu",
            ["tie_word_embeddings"] = TieEmbeddings, ["attention_bias"] = AttentionBias, ["torch_dtype"] = DTypeName(dtype),
        };
        if (RopeScaling is { } s)
            json["rope_scaling"] = new JsonObject
            {
                ["rope_type"] = "llama3", ["factor"] = s.Factor, ["low_freq_factor"] = s.LowFreqFactor,
                ["high_freq_factor"] = s.HighFreqFactor, ["original_max_position_embeddings"] = s.OriginalContextLength,
            };
        File.WriteAllText(file, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>A type's name in config.json's torch_dtype and in Models:Llama:DType.</summary>
    public static string DTypeName(TorchSharp.torch.ScalarType dtype) => dtype switch
    {
        TorchSharp.torch.ScalarType.BFloat16 => "bfloat16",
        TorchSharp.torch.ScalarType.Float16 => "float16",
        _ => "float32",
    };

    // The rules a buildable shape obeys, each naming the fields it concerns by <paramref name="name"/> of their config.json name.
    private IEnumerable<(string Field, string Why)> Check(Func<string, string> name)
    {
        foreach (var (field, value) in new[] { ("hidden_size", HiddenSize), ("num_hidden_layers", Layers), ("num_attention_heads", Heads),
                     ("num_key_value_heads", KeyValueHeads), ("intermediate_size", IntermediateSize), ("vocab_size", VocabularySize), ("max_position_embeddings", ContextLength) })
            if (value < 1) yield return (name(field), $"must be at least 1, not {value}");
        if (Heads < 1 || KeyValueHeads < 1) yield break;
        if (Heads % KeyValueHeads != 0)
            yield return (name("num_key_value_heads"), $"{KeyValueHeads} must divide {name("num_attention_heads")} ({Heads}): each key/value head serves a group of query heads");
        if (HeadSize < 2 || HeadSize % 2 != 0)
            yield return (name("head_dim"), $"the head size {HeadSize} must be even for rotary positions");
        if (RmsNormEps <= 0) yield return (name("rms_norm_eps"), $"must be positive, not {RmsNormEps}");
        if (RopeTheta <= 1) yield return (name("rope_theta"), $"must be above 1, not {RopeTheta}");
    }

    private static Llama3RopeScaling? RopeScalingOf(JsonNode? node, string file)
    {
        if (node is null) return null;
        if (node is not JsonObject json) throw new InvalidDataException($"{file}: rope_scaling must be an object or null.");
        var field = new Fields(json, $"{file}: rope_scaling");
        string type = field.String("rope_type", field.String("type", ""));
        if (type == "default") return null;
        if (type != "llama3")
            throw new InvalidDataException($"{file}: rope_scaling type \"{type}\" is not supported; only \"llama3\" scaling (or none) is.");
        return new Llama3RopeScaling(field.Double("factor"), field.Double("low_freq_factor"), field.Double("high_freq_factor"), field.Int("original_max_position_embeddings"));
    }

    // Typed reads of a JSON object's fields (null counts as missing); a missing required field or one of the wrong kind names the field.
    private sealed class Fields(JsonObject json, string where)
    {
        public int Int(string name, int? fallback = null) => Element(name) switch
        {
            null => fallback ?? throw Missing(name),
            { ValueKind: JsonValueKind.Number } e when e.TryGetInt32(out int v) => v,
            var e => throw Wrong(name, "a whole number", e.Value),
        };

        public double Double(string name, double? fallback = null) => Element(name) switch
        {
            null => fallback ?? throw Missing(name),
            { ValueKind: JsonValueKind.Number } e => e.GetDouble(),
            var e => throw Wrong(name, "a number", e.Value),
        };

        public bool Bool(string name, bool fallback) => Element(name) switch
        {
            null => fallback,
            { ValueKind: JsonValueKind.True or JsonValueKind.False } e => e.GetBoolean(),
            var e => throw Wrong(name, "true or false", e.Value),
        };

        public string String(string name, string fallback) => Element(name) switch
        {
            null => fallback,
            { ValueKind: JsonValueKind.String } e => e.GetString()!,
            var e => throw Wrong(name, "a string", e.Value),
        };

        private JsonElement? Element(string name) => json[name] is { } node ? JsonSerializer.SerializeToElement(node) : null;

        private InvalidDataException Missing(string name) => new($"{where}: {name} is missing.");

        private InvalidDataException Wrong(string name, string kind, JsonElement e) => new($"{where}: {name} must be {kind}, not {e.GetRawText()}.");
    }
}
