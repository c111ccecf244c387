// A Llama-family decoder (Llama 2/3, Qwen2, SmolLM, TinyLlama): token embedding, pre-norm layers of grouped-query
// attention with rotary positions and SwiGLU MLPs, a final RMSNorm, and an output head tied to the embedding or not.
// Its modules carry Hugging Face's names (model.embed_tokens, model.layers.N.self_attn.q_proj, model.norm, lm_head),
// so its state dictionary is the checkpoint's. Through a KeyValueCache rows may be left-padded: padding is masked out
// of attention and each row's positions count from its first real token. Sampling may run in bfloat16
// (IDecodingPrecision): a copy of the model in bfloat16, adapters merged, computes the layers, and this model's final
// norm and head read the residual stream widened again.
using Rlvr.Models;
using Rlvr.Plugins.Transformer;
using Rlvr.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Rlvr.Plugins.Llama;

internal sealed class LlamaModel : nn.Module<Tensor, Tensor>, ICausalLanguageModel, ICheckpointExport, IAdapters, IDecodingPrecision
{
    // The decoder without its head, Hugging Face's "model".
    private sealed class Decoder : nn.Module
    {
        public readonly Embedding embed_tokens;
        public readonly ModuleList<LlamaBlock> layers;
        public readonly RmsNorm norm;

        public Decoder(LlamaConfig c, Initializer init) : base("model")
        {
            embed_tokens = new Embedding(init.Normal(c.VocabularySize, c.HiddenSize));
            layers = nn.ModuleList(Enumerable.Range(0, c.Layers).Select(i => new LlamaBlock(c, i, init)).ToArray());
            norm = new RmsNorm(c.HiddenSize, c.RmsNormEps);
            RegisterComponents();
        }
    }

    // An embedding table: row i is the vector of id i. (nn.Embedding would draw its initial weights from the global generator.)
    private sealed class Embedding : nn.Module<Tensor, Tensor>
    {
        public readonly Parameter weight;   // (V, C)

        public Embedding(Parameter weight) : base("embed_tokens")
        {
            this.weight = weight;
            RegisterComponents();
        }

        public override Tensor forward(Tensor ids) => weight.index_select(0, ids.reshape(-1)).view([.. ids.shape, weight.shape[1]]);   // (...) -> (..., C)
    }

    private readonly Decoder model;
    private readonly Linear? lm_head;   // null: tied to model.embed_tokens; rotary tables in the non-persistent buffers rope_cos, rope_sin: (ContextLength, hs)
    private readonly LoraLinear[] _adapters;
    private readonly CacheMemory _cacheMemory = new();   // kept between sampling calls
    private readonly DecodingCopy<LlamaModel> _decodingCopy;   // the weights in bfloat16 for sampling, adapters merged

    /// <param name="config">The shape, as config.json says it.</param>
    /// <param name="contextLength">The longest sequence accepted, at most config.json's max_position_embeddings.</param>
    /// <param name="dtype">The parameters' type.</param>
    /// <param name="lora">LoRA adapters on the projections it names, every other weight frozen; null: none, every weight trains.</param>
    public LlamaModel(LlamaConfig config, int contextLength, ScalarType dtype, Device device, long seed, LoraSpec? lora = null) : base("llama")
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(contextLength, config.ContextLength);
        Config = config;
        ContextLength = contextLength;
        _decodingCopy = new(() => new LlamaModel(config, contextLength, DecodingCopy<LlamaModel>.Precision, device, seed));

        using var scope = NewDisposeScope();
        using var g = new Generator(unchecked((ulong)seed));
        using var adapters = new Generator(unchecked((ulong)seed ^ 0x10AAUL));
        var init = new Initializer(g, config.Layers, lora, adapters);
        model = new Decoder(config, init);
        if (!config.TieEmbeddings) lm_head = init.Linear(config.HiddenSize, config.VocabularySize);
        RegisterComponents();
        this.to(device, dtype);
        // Registered after the move, on the device and in the model's type: Module.to leaves non-persistent buffers behind.
        var (cos, sin) = Rotary.Tables(config, contextLength, dtype, device);
        register_buffer("rope_cos", cos, persistent: false);
        register_buffer("rope_sin", sin, persistent: false);
        // The model owns its parameters and buffers, whatever dispose scope it was created in.
        foreach (var parameter in parameters()) parameter.DetachFromDisposeScope();
        foreach (var buffer in buffers()) buffer.DetachFromDisposeScope();
        _adapters = [.. modules().OfType<LoraLinear>()];
        if (_adapters.Length > 0)
            foreach (var (name, parameter) in named_parameters()) parameter.requires_grad = LoraLinear.IsAdapter(name);
    }

    public LlamaConfig Config { get; }

    /// <summary>Activation checkpointing: a training forward keeps each layer's input only, and the backward pass runs the layer again.</summary>
    internal bool CheckpointLayers { get; set; }

    /// <summary>The Hugging Face layout: config.json and model.safetensors, which transformers loads; adapters merged in.</summary>
    public void Export(string folder) => LlamaCheckpoint.Save(this, folder);

    public bool HasAdapters => _adapters.Length > 0;

    public IDisposable WithoutAdapters()
    {
        foreach (var adapter in _adapters) adapter.Enabled = false;
        return new AdaptersOn(_adapters);
    }

    private sealed class AdaptersOn(LoraLinear[] adapters) : IDisposable
    {
        public void Dispose()
        {
            foreach (var adapter in adapters) adapter.Enabled = true;
        }
    }

    /// <summary>The parameters under their checkpoint names, adapters merged into the weights they adapt and left out.</summary>
    internal IEnumerable<(string Name, Tensor Tensor)> CheckpointTensors()
    {
        var merged = named_modules().Where(m => m.module is LoraLinear).ToDictionary(m => $"{m.name}.weight", m => ((LoraLinear)m.module).Merged());
        return named_parameters().Where(p => !LoraLinear.IsAdapter(p.name)).Select(p => (p.name, merged.TryGetValue(p.name, out var w) ? w : (Tensor)p.parameter));
    }

    public nn.Module Module => this;

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _cacheMemory.Dispose();
            _decodingCopy.Dispose();
        }
        base.Dispose(disposing);
    }

    public int ContextLength { get; }
    public int VocabularySize => Config.VocabularySize;
    public Device Device => model.embed_tokens.weight.device;
    public int Width => Config.HiddenSize;

    public Tensor Forward(Tensor tokens) => forward(tokens);

    public override Tensor forward(Tensor tokens) => Logits(Hidden(tokens, null));           // (B, T, V)

    public Tensor Features(Tensor tokens) => Hidden(tokens, null);

    public Tensor Logits(Tensor features) => lm_head?.forward(features) ?? F.linear(features, model.embed_tokens.weight);

    public IDecodingState CreateDecodingState(Tensor leftPadding, long capacity)
    {
        ArgumentNullException.ThrowIfNull(leftPadding);
        if (capacity < 1 || capacity > ContextLength)
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, $"A cache holds 1 to ContextLength ({ContextLength}) positions.");
        return new KeyValueCache(Config.Layers, Config.KeyValueHeads, Config.HeadSize, leftPadding, capacity, model.embed_tokens.weight.dtype, Device, _cacheMemory);
    }

    /// <summary>
    /// A state that decodes in <paramref name="precision"/>: the layers run on a copy of the weights as they are now
    /// (adapters merged into the weights they adapt), rounded to it, and the cache holds keys and values in it; Forward
    /// with the state returns logits in this model's type. The next such state refreshes the same copy, so a state is
    /// used before another is made (as the sampler does).
    /// </summary>
    public IDecodingState CreateDecodingState(Tensor leftPadding, long capacity, ScalarType precision)
    {
        if (!DecodingCopy<LlamaModel>.Needed(precision, model.embed_tokens.weight.dtype, "The llama model")) return CreateDecodingState(leftPadding, capacity);
        return _decodingCopy.Refreshed(CheckpointTensors()).CreateDecodingState(leftPadding, capacity);
    }

    public Tensor Forward(Tensor tokens, IDecodingState state)
    {
        var cache = state as KeyValueCache ?? throw new ArgumentException("The decoding state was not made by this model's CreateDecodingState.", nameof(state));
        long widest = Math.Max(Config.IntermediateSize, Config.VocabularySize);                   // the MLP's hidden layer or the logits
        var own = model.embed_tokens.weight.dtype;
        if (cache.DType == own) return cache.InRowChunks(tokens, widest, chunk => Logits(Hidden(chunk, cache)));
        var copy = _decodingCopy.Decoding(cache.DType, nameof(state));
        return cache.InRowChunks(tokens, widest, chunk => Logits(model.norm.forward(copy.Residual(chunk, cache).to(own))));
    }

    private Tensor Hidden(Tensor idx, KeyValueCache? cache) => model.norm.forward(Residual(idx, cache));   // idx (B, T) -> (B, T, C)

    // The residual stream after the last layer, before the final norm.
    private Tensor Residual(Tensor idx, KeyValueCache? cache)   // idx (B, T) -> (B, T, C)
    {
        var (B, T) = (idx.shape[0], idx.shape[1]);
        long start = cache?.Length ?? 0;
        if (cache is null && T > ContextLength)
            throw new ArgumentException($"{T} tokens are more than the model's ContextLength of {ContextLength}.", nameof(idx));
        cache?.ThrowIfCannotAppend(B, T, nameof(idx));
        if (cache is not null) idx = cache.Padded(idx);

        // Positions: 0..T-1 for every row, or each row's own positions, which skip its left padding.
        var pos = cache?.Positions(start, T) ?? arange(T, device: idx.device);                    // (B, T) or (T)
        var pass = new LlamaPass(cache, start, RotaryAt(get_buffer("rope_cos")!, pos), RotaryAt(get_buffer("rope_sin")!, pos));
        var x = model.embed_tokens.forward(idx);                                                    // (B, T, C)
        foreach (var layer in model.layers)
            x = CheckpointLayers && training && cache is null ? ActivationCheckpoint.Apply(h => layer.forward(h, pass), x) : layer.forward(x, pass);
        cache?.Advance(T);
        return cache?.Unpadded(x) ?? x;
    }

    private static Tensor RotaryAt(Tensor table, Tensor pos) => pos.dim() == 1
        ? table.narrow(0, 0, pos.shape[0])                                                          // (T, hs): every row starts at 0
        : table.index_select(0, pos.reshape(-1)).view(pos.shape[0], 1, pos.shape[1], -1);           // (B, 1, T, hs)
}
