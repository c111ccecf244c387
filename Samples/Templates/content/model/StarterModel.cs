// A small causal language model: the next token's logits depend on the current and the previous token, through
// their embeddings and one residual MLP layer. Replace the body with your architecture; keep the contract of
// ICausalLanguageModel: Logits(Features(x)) = Forward(x), and Forward through a decoding state gives the same
// logits as the whole-sequence one, one position at a time.
using Rlvr.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Company.RlvrPlugin;

internal sealed class StarterModel : nn.Module<Tensor, Tensor>, ICausalLanguageModel
{
    private readonly Embedding current;    // (V, W)
    private readonly Embedding previous;   // (V + 1, W): row V stands for "no previous token", at a row's first position
    private readonly Linear hidden;        // (W, W)
    private readonly LayerNorm norm;
    private readonly Linear head;          // (W, V)

    public StarterModel(int vocabularySize, StarterOptions options, Device device, long seed) : base("starter")
    {
        current = nn.Embedding(vocabularySize, options.Width);
        previous = nn.Embedding(vocabularySize + 1, options.Width);
        hidden = nn.Linear(options.Width, options.Width);
        norm = nn.LayerNorm(options.Width);
        head = nn.Linear(options.Width, vocabularySize);
        RegisterComponents();

        // The same seed gives the same parameters: every weight is drawn from one generator, biases start at 0.
        using var generator = new Generator(unchecked((ulong)seed));
        using (no_grad())
        {
            foreach (var weight in new[] { current.weight!, previous.weight!, hidden.weight!, head.weight! })
                weight.normal_(0, options.InitStd, generator);
            hidden.bias!.zero_();
            head.bias!.zero_();
        }
        this.to(device);

        VocabularySize = vocabularySize;
        ContextLength = options.ContextLength;
        Width = options.Width;
        Device = device;
    }

    public nn.Module Module => this;
    public int ContextLength { get; }
    public int VocabularySize { get; }
    public int Width { get; }
    public Device Device { get; }

    public override Tensor forward(Tensor tokens) => Logits(Features(tokens));   // (B, T) -> (B, T, V)

    public Tensor Forward(Tensor tokens) => forward(tokens);

    public Tensor Features(Tensor tokens)
    {
        using var scope = NewDisposeScope();
        var start = full(tokens.shape[0], 1, VocabularySize, dtype: int64, device: tokens.device);
        var before = cat([start, tokens.narrow(1, 0, tokens.shape[1] - 1)], 1);   // (B, T): each token's previous one
        return Hidden(tokens, before).MoveToOuterDisposeScope();
    }

    public Tensor Logits(Tensor features) => head.forward(features);

    public IDecodingState CreateDecodingState(Tensor leftPadding, long capacity) => new StarterState(leftPadding, capacity, VocabularySize);

    public Tensor Forward(Tensor tokens, IDecodingState decodingState)
    {
        var state = decodingState as StarterState ?? throw new ArgumentException("The decoding state was not made by this model.", nameof(decodingState));
        long count = tokens.shape[1];
        if (state.Length + count > state.Capacity)
            throw new InvalidOperationException($"The state holds {state.Capacity} positions; {state.Length + count} were asked for.");

        using var scope = NewDisposeScope();
        var before = cat([state.Last, tokens.narrow(1, 0, count - 1)], 1);
        // A row's padding is ignored: its first real token (at the position equal to its padding) has no previous one.
        var positions = arange(state.Length, state.Length + count, dtype: int64, device: tokens.device).view(1, -1);
        before = before.masked_fill(positions <= state.LeftPadding.view(-1, 1), VocabularySize);
        state.Append(tokens.narrow(1, count - 1, 1), count);
        return Logits(Hidden(tokens, before)).MoveToOuterDisposeScope();
    }

    private Tensor Hidden(Tensor tokens, Tensor before)
    {
        var x = current.forward(tokens) + previous.forward(before);   // (B, T, W)
        return norm.forward(x + nn.functional.gelu(hidden.forward(x)));
    }
}
