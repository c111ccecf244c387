// A decoder-only GPT that reads top to bottom like nanoGPT's model.py (karpathy/nanoGPT): attention, MLP, block,
// model. Pre-norm blocks, GELU MLPs, a tied output head, and learned (GPT-2) or rotary (RoFormer, arXiv:2104.09864)
// positions. Through a KeyValueCache rows may be left-padded: padding is masked out of attention and each row's
// positions count from its first real token.
//
// Depth is Blocks distinct blocks applied Loops times with shared weights (Fan et al. 2024, "Looped Transformers for
// Length Generalization", arXiv:2409.15647): the transformer is one loop of Layers blocks, the looped transformer
// several loops of a few. Every (loop, block) application has its own keys and values in the cache.
//
// Sampling may run in bfloat16 (IDecodingPrecision): a copy of the weights in that type computes the blocks, and the
// final norm and the head run in float32 on the residual stream widened again, so logits and log-probs keep float32's
// resolution while the GEMMs and the key/value cache move half the bytes.
using Rlvr.Models;
using Rlvr.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Rlvr.Plugins.Transformer;

internal sealed class GptModel : nn.Module<Tensor, Tensor>, ICausalLanguageModel, IEvaluationMode, ICheckpointExport, IDecodingPrecision
{
    private const double Std = 0.02;   // N(0, 0.02) initialisation of weights and embeddings, as GPT-2
    private const double RopeTheta = 10000.0;   // the base of the rotary angles (RoFormer)

    // What every layer of one forward pass shares: the cache (null: plain causal attention) and where the new
    // positions start in it, and the rotary tables of the new positions (null: learned positions).
    // Layer is the cache layer of the loop's first block: loop · Blocks.
    private sealed record Pass(KeyValueCache? Cache, long Start, Tensor? Cos, Tensor? Sin, int Layer = 0);

    /// <summary>Blocks distinct blocks applied Loops times; InputInjection adds the embedded input again before every loop after the first.</summary>
    internal sealed record Depth(int Blocks, int Loops, int EvaluationLoops, bool InputInjection)
    {
        public static Depth Of(TransformerOptions o) => new(o.Layers, 1, 1, false);

        public static Depth Of(LoopedTransformerOptions o) => new(o.Blocks, o.Loops, o.EvaluationLoops == 0 ? o.Loops : o.EvaluationLoops, o.InputInjection);
    }

    private sealed class CausalSelfAttention : nn.Module<Tensor, Pass, Tensor>
    {
        private readonly Linear c_attn;   // q, k, v of all heads in one matmul
        private readonly Linear c_proj;
        private readonly int _layer;
        private readonly long _nh;
        private readonly double _dropout;

        public CausalSelfAttention(GptOptions o, int layer, double residualStd, Generator g) : base("attn")
        {
            c_attn = Dense(o.Width, 3 * o.Width, Std, g);
            c_proj = Dense(o.Width, o.Width, residualStd, g);
            (_layer, _nh, _dropout) = (layer, o.Heads, o.Dropout);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x, Pass pass)
        {
            var (B, T, C) = (x.shape[0], x.shape[1], x.shape[2]);
            var qkv = Project(c_attn, x).view(B, T, 3, _nh, C / _nh).permute(2, 0, 3, 1, 4);   // (3, B, nh, T, hs)
            Tensor q, k, v = qkv[2];
            if (pass.Cos is null) (q, k) = (qkv[0], qkv[1]);
            else
            {
                var qk = Rotate(qkv.narrow(0, 0, 2), pass.Cos, pass.Sin!);                        // (2, B, nh, T, hs)
                (q, k) = (qk[0], qk[1]);
            }
            var y = pass.Cache is null                                                            // (B, T, C): heads side by side again
                ? F.scaled_dot_product_attention(q, k, v, null, training ? _dropout : 0, is_casual: true).transpose(1, 2).reshape(B, T, C)
                : pass.Cache.Attend(pass.Layer + _layer, q, k, v, pass.Start);
            return Dropout(Project(c_proj, y), _dropout, training);
        }
    }

    private sealed class Mlp : nn.Module<Tensor, Tensor>
    {
        private readonly Linear c_fc;
        private readonly Linear c_proj;
        private readonly double _dropout;

        public Mlp(GptOptions o, double residualStd, Generator g) : base("mlp")
        {
            c_fc = Dense(o.Width, o.MlpRatio * o.Width, Std, g);
            c_proj = Dense(o.MlpRatio * o.Width, o.Width, residualStd, g);
            _dropout = o.Dropout;
            RegisterComponents();
        }

        public override Tensor forward(Tensor x) => Dropout(Project(c_proj, F.gelu(Project(c_fc, x))), _dropout, training);
    }

    private sealed class Block : nn.Module<Tensor, Pass, Tensor>
    {
        private readonly LayerNorm ln_1;
        private readonly CausalSelfAttention attn;
        private readonly LayerNorm ln_2;
        private readonly Mlp mlp;

        public Block(GptOptions o, int layer, double residualStd, Generator g) : base("block")
        {
            ln_1 = nn.LayerNorm(o.Width);
            attn = new CausalSelfAttention(o, layer, residualStd, g);
            ln_2 = nn.LayerNorm(o.Width);
            mlp = new Mlp(o, residualStd, g);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x, Pass pass)
        {
            x = x + attn.forward(ln_1.forward(x), pass);   // pre-norm residual blocks
            return x + mlp.forward(ln_2.forward(x));
        }

        public Tensor FirstNorm(Tensor x) => ln_1.forward(x);

        // forward as ResidualNorm runs it: x comes with its first norm applied, and each residual add goes with the
        // norm after it, the next block's first norm included; the last block returns the sum alone.
        public (Tensor X, Tensor? Normed) Fused(Tensor x, Tensor normed, Pass pass, Block? next)
        {
            (x, normed) = ResidualNorm.Apply(x, attn.forward(normed, pass), ln_2);
            var m = mlp.forward(normed);
            return next is null ? (x + m, null) : ResidualNorm.Apply(x, m, next.ln_1);
        }
    }

    // An embedding table: row i is the vector of id i. (nn.Embedding would draw its own initial weights from the
    // global generator, and TorchSharp 0.107.0's Embedding_from_pretrained does too.)
    private sealed class Lookup : nn.Module<Tensor, Tensor>
    {
        public readonly Parameter weight;   // (count, C)

        public Lookup(Parameter weight) : base("embedding")
        {
            this.weight = weight;
            RegisterComponents();
        }

        public override Tensor forward(Tensor ids) =>                                              // ids (...) -> (..., C)
            weight.index_select(0, ids.reshape(-1)).view([.. ids.shape, weight.shape[1]]);
    }

    private readonly Lookup wte;             // token embedding; its weight is also the output head (tied)
    private readonly Lookup? wpe;            // learned positions; null with rotary positions
    private readonly ModuleList<Block> h;
    private readonly LayerNorm ln_f;
    private readonly Depth _depth;
    private int _loops;
    private readonly long _nh;
    private readonly long _hs;
    private readonly double _dropout;
    private readonly int _mlpRatio;
    private readonly CacheMemory _cacheMemory = new();   // kept between sampling calls
    private readonly DecodingCopy<GptModel> _decodingCopy;   // the weights in bfloat16 for sampling
    private readonly bool _rope;             // rotary tables live in the non-persistent buffers rope_cos, rope_sin: (ContextLength, hs)

    public GptModel(TransformerOptions o, int vocabularySize, Device device, long seed) : this(o, Depth.Of(o), vocabularySize, device, seed) { }

    public GptModel(LoopedTransformerOptions o, int vocabularySize, Device device, long seed) : this(o, Depth.Of(o), vocabularySize, device, seed) { }

    private GptModel(GptOptions o, Depth depth, int vocabularySize, Device device, long seed, ScalarType dtype = ScalarType.Float32) : base("gpt")
    {
        ArgumentNullException.ThrowIfNull(o);
        ArgumentOutOfRangeException.ThrowIfLessThan(depth.Blocks, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(depth.Loops, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(depth.EvaluationLoops, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(vocabularySize, 1);
        if (o.Width % o.Heads != 0) throw new ArgumentException($"Width ({o.Width}) must be divisible by Heads ({o.Heads}).", nameof(o));
        _rope = o.Positions switch
        {
            "learned" => false,
            "rope" => true,
            _ => throw new ArgumentException($"Positions must be \"learned\" or \"rope\", not \"{o.Positions}\".", nameof(o)),
        };
        Width = o.Width;
        _mlpRatio = o.MlpRatio;
        _decodingCopy = new(() => new GptModel(o, depth, vocabularySize, device, seed, DecodingCopy<GptModel>.Precision));   // its rotary tables in that type too
        (ContextLength, VocabularySize, _depth, _loops, _nh, _hs, _dropout) = (o.ContextLength, vocabularySize, depth, depth.Loops, o.Heads, o.Width / o.Heads, o.Dropout);
        if (_rope && _hs % 2 != 0) throw new ArgumentException($"The head size Width / Heads ({_hs}) must be even for rotary positions.", nameof(o));

        // Every weight is drawn from this generator on the CPU, in construction order, so the same seed gives the same
        // parameters on every device; the global generator is neither reseeded nor advanced.
        using var scope = NewDisposeScope();
        using var g = new Generator(unchecked((ulong)seed));
        wte = new Lookup(Normal(vocabularySize, o.Width, Std, g));
        if (!_rope) wpe = new Lookup(Normal(o.ContextLength, o.Width, Std, g));
        // Residual projections scaled by 1/√(2L), as GPT-2, L counting every block application of a training pass.
        double residualStd = Std / Math.Sqrt(2 * depth.Blocks * depth.Loops);
        h = nn.ModuleList(Enumerable.Range(0, depth.Blocks).Select(i => new Block(o, i, residualStd, g)).ToArray());
        ln_f = nn.LayerNorm(o.Width);
        RegisterComponents();
        if (_rope)
        {
            // Made on the device: Module.to leaves non-persistent buffers where they are (seen on CUDA).
            var (cos, sin) = RotaryTables(o.ContextLength, _hs, dtype, device);
            register_buffer("rope_cos", cos, persistent: false);
            register_buffer("rope_sin", sin, persistent: false);
        }
        this.to(device);
        // The model owns its parameters and buffers, whatever dispose scope it was created in.
        foreach (var parameter in parameters()) parameter.DetachFromDisposeScope();
        foreach (var buffer in buffers()) buffer.DetachFromDisposeScope();
    }

    public nn.Module Module => this;
    public int ContextLength { get; }
    public int VocabularySize { get; }
    public Device Device => wte.weight.device;

    public int Width { get; }

    /// <summary>
    /// R, the number of times every pass applies the blocks; the options' Loops at creation. Set it to
    /// <see cref="EvaluationLoops"/> to evaluate deeper than training, and back to <see cref="TrainingLoops"/> to train.
    /// A cache holds the keys and values of one R: make a new one after a change.
    /// </summary>
    public int Loops
    {
        get => _loops;
        set => _loops = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "Loops must be at least 1.");
    }

    /// <summary>The loop count of pretraining and RL training (Models:LoopedTransformer:Loops; 1 for the transformer).</summary>
    public int TrainingLoops => _depth.Loops;

    /// <summary>The loop count for held-out problems (Models:LoopedTransformer:EvaluationLoops, or Loops where that is 0).</summary>
    public int EvaluationLoops => _depth.EvaluationLoops;

    /// <summary>Held-out problems run at <see cref="EvaluationLoops"/>; disposing the scope restores the loop count before.</summary>
    public IDisposable BeginEvaluation()
    {
        int before = Loops;
        Loops = EvaluationLoops;
        return new LoopScope(this, before);
    }

    private sealed class LoopScope(GptModel model, int loops) : IDisposable
    {
        public void Dispose() => model.Loops = loops;
    }

    public Tensor Forward(Tensor tokens) => forward(tokens);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _cacheMemory.Dispose();
            _decodingCopy.Dispose();
        }
        base.Dispose(disposing);
    }

    /// <summary>
    /// model.safetensors holds the state dict under this module's own names (wte.weight, h.N.attn.c_attn.weight, ...;
    /// Linear weights are (out, in) as in torch.nn.Linear; the head is wte.weight, tied); config.json gives the shape
    /// a PyTorch GPT needs to load it (docs/real-models.md, "The transformer's export").
    /// </summary>
    public void Export(string folder)
    {
        using var scope = NewDisposeScope();
        Safetensors.Write(Path.Combine(folder, ICheckpointExport.WeightsFile), state_dict().Select(p => (p.Key, p.Value)));
        var config = new System.Text.Json.Nodes.JsonObject
        {
            ["model_type"] = "rlvr-gpt",
            ["vocab_size"] = VocabularySize, ["n_embd"] = Width, ["n_head"] = _nh, ["block_size"] = ContextLength, ["mlp_ratio"] = _mlpRatio,
            ["n_block"] = _depth.Blocks, ["n_loop"] = _depth.Loops, ["n_loop_eval"] = _depth.EvaluationLoops, ["input_injection"] = _depth.InputInjection,
            ["positions"] = _rope ? "rope" : "learned", ["rope_theta"] = RopeTheta, ["layer_norm_eps"] = 1e-5, ["activation"] = "gelu", ["tie_word_embeddings"] = true,
        };
        File.WriteAllText(Path.Combine(folder, ICheckpointExport.ConfigFile), config.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
    }

    public Tensor Features(Tensor tokens) => Hidden(tokens, null);

    public Tensor Logits(Tensor features) => F.linear(features, wte.weight);                       // tied head

    public IDecodingState CreateDecodingState(Tensor leftPadding, long capacity)
    {
        ArgumentNullException.ThrowIfNull(leftPadding);
        if (capacity < 1 || capacity > ContextLength)
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, $"A cache holds 1 to ContextLength ({ContextLength}) positions.");
        return new KeyValueCache(_depth.Blocks * _loops, _nh, _hs, leftPadding, capacity, wte.weight.dtype, Device, _cacheMemory);
    }

    /// <summary>
    /// A state that decodes in <paramref name="precision"/>: the blocks run on a copy of the weights as they are now,
    /// rounded to it, and the cache holds keys and values in it; Forward with the state returns float32 logits. The
    /// next such state refreshes the same copy, so a state is used before another is made (as the sampler does).
    /// </summary>
    public IDecodingState CreateDecodingState(Tensor leftPadding, long capacity, ScalarType precision)
    {
        if (!DecodingCopy<GptModel>.Needed(precision, wte.weight.dtype, "The transformer")) return CreateDecodingState(leftPadding, capacity);
        var copy = _decodingCopy.Refreshed(named_parameters().Select(p => (p.name, (Tensor)p.parameter)));
        copy.Loops = Loops;
        return copy.CreateDecodingState(leftPadding, capacity);
    }

    public Tensor Forward(Tensor tokens, IDecodingState state)
    {
        var cache = state as KeyValueCache ?? throw new ArgumentException("The decoding state was not made by this model's CreateDecodingState.", nameof(state));
        long widest = Math.Max(_mlpRatio * Width, VocabularySize);                              // the MLP's hidden layer or the logits
        if (cache.DType == wte.weight.dtype) return cache.InRowChunks(tokens, widest, chunk => Run(chunk, cache));
        var copy = _decodingCopy.Decoding(cache.DType, nameof(state));
        return cache.InRowChunks(tokens, widest, chunk => Logits(ln_f.forward(copy.Residual(chunk, cache).to(wte.weight.dtype))));
    }

    public override Tensor forward(Tensor tokens) => Run(tokens, null);

    private Tensor Run(Tensor idx, KeyValueCache? cache) => Logits(Hidden(idx, cache));   // (B, T, V)

    private Tensor Hidden(Tensor idx, KeyValueCache? cache) => ln_f.forward(Residual(idx, cache));   // idx (B, T) -> (B, T, C)

    // The residual stream after the last block, before the final norm.
    private Tensor Residual(Tensor idx, KeyValueCache? cache)   // idx (B, T) -> (B, T, C)
    {
        var (B, T) = (idx.shape[0], idx.shape[1]);
        long start = cache?.Length ?? 0;
        if (cache is null && T > ContextLength)
            throw new ArgumentException($"{T} tokens are more than the model's ContextLength of {ContextLength}.", nameof(idx));
        cache?.ThrowIfCannotAppend(B, T, nameof(idx));
        if (cache is not null) idx = cache.Padded(idx);
        if (cache is not null && cache.Layers != _depth.Blocks * _loops)
            throw new ArgumentException($"The cache holds {cache.Layers} layers, not {_depth.Blocks} blocks × {_loops} loops: Loops changed after it was made.", nameof(idx));

        // Positions: 0..T-1 for every row, or each row's own positions, which skip its left padding.
        var pos = cache?.Positions(start, T) ?? arange(T, device: idx.device);                  // (B, T) or (T)
        var x = wte.forward(idx);                                                                  // (B, T, C)
        Tensor? cos = null, sin = null;
        if (!_rope) x = x + wpe!.forward(pos);
        else (cos, sin) = (RotaryAt(get_buffer("rope_cos")!, pos), RotaryAt(get_buffer("rope_sin")!, pos));   // (B, 1, T, hs) or (T, hs)
        var input = x = Dropout(x, _dropout, training);
        var pass = new Pass(cache, start, cos, sin);
        for (int loop = 0; loop < _loops; loop++)
        {
            // Input injection, as in looped-transformer papers: the loop body sees the problem at every iteration,
            // so later loops refine an answer to it rather than drift from it, at any R. Additive: no parameters,
            // so the parameter count is that of Blocks layers whatever R and whether injected or not.
            if (loop > 0 && _depth.InputInjection) x = x + input;
            var layers = pass with { Layer = loop * _depth.Blocks };
            if (cache is not null && ResidualNorm.Supports(x)) x = FusedBlocks(x, layers);
            else foreach (var block in h) x = block.forward(x, layers);
        }
        cache?.Advance(T);
        return cache?.Unpadded(x) ?? x;
    }

    // The blocks once through, each residual add and the norm after it in one pass (ResidualNorm).
    private Tensor FusedBlocks(Tensor x, Pass pass)
    {
        Tensor? normed = h[0].FirstNorm(x);
        for (int i = 0; i < h.Count; i++) (x, normed) = h[i].Fused(x, normed!, pass, i + 1 < h.Count ? h[i + 1] : null);
        return x;
    }

    /// RoPE: x·cos + rotate_half(x)·sin, rotate_half(x₁, x₂) = (−x₂, x₁); the sign of −x₂ lives in the sin table.   arXiv:2104.09864
    private static Tensor Rotate(Tensor x, Tensor cos, Tensor sin)   // x (..., T, hs); cos, sin broadcast to it
    {
        var half = x.shape[^1] / 2;
        return x * cos + cat([x.narrow(-1, half, half), x.narrow(-1, 0, half)], -1) * sin;
    }

    /// θ_i = RopeTheta^(−2i/hs); cos table [cos(pθ), cos(pθ)], sin table [−sin(pθ), sin(pθ)] for positions p < n.
    private static (Tensor Cos, Tensor Sin) RotaryTables(long n, long hs, ScalarType dtype, Device device)
    {
        using var scope = NewDisposeScope();
        var theta = exp(arange(0, hs, 2, dtype: float64) * (-Math.Log(RopeTheta) / hs));           // (hs/2)
        var angles = outer(arange(n, dtype: float64), theta);                                      // (n, hs/2)
        var cos = cat([angles.cos(), angles.cos()], -1).to(dtype).to(device);
        var sin = cat([-angles.sin(), angles.sin()], -1).to(dtype).to(device);
        return (cos.DetachFromDisposeScope(), sin.DetachFromDisposeScope());
    }

    private static Tensor RotaryAt(Tensor table, Tensor pos) => pos.dim() == 1
        ? table.narrow(0, 0, pos.shape[0])                                                         // (T, hs): every row starts at 0
        : table.index_select(0, pos.reshape(-1)).view(pos.shape[0], 1, pos.shape[1], -1);             // (B, 1, T, hs)

    // A linear in bfloat16 (the decoding copy, which never trains) takes (B, T, C) as B·T rows of a matrix: libtorch
    // then adds the bias inside the product (addmm), not in a pass after it, 8-10% less time a linear at the decode
    // step's shapes. float32 keeps the 3-D path: the two differ in the last bit for some shapes, and every pinned run
    // and committed study was made with the 3-D path.
    private static Tensor Project(Linear linear, Tensor x) =>   // x (B, T, C) -> (B, T, out)
        x.dtype == ScalarType.BFloat16 ? linear.forward(x.reshape(-1, x.shape[2])).view(x.shape[0], x.shape[1], -1) : linear.forward(x);

    private static Tensor Dropout(Tensor x, double p, bool training) => p > 0 && training ? F.dropout(x, p) : x;

    // Weights ~ N(0, std) from the model's generator. (TorchSharp 0.107.0's nn.init.normal_ ignores its generator
    // argument and draws from the global one; Tensor.normal_ honours it.)
    private static Parameter Normal(long rows, long columns, double std, Generator g) => new(empty(rows, columns).normal_(0, std, g));

    private static Linear Dense(long inputs, long outputs, double std, Generator g) =>
        nn.Linear(Normal(outputs, inputs, std, g), new Parameter(zeros(outputs)));
}
