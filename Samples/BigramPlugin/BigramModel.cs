// A bigram language model: the next token's logits depend on the current token only, read from one table.
// The lower bound every sequence model should beat, and the smallest complete model a plugin can ship.
using Rlvr.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace BigramPlugin;

internal sealed class BigramModel : nn.Module<Tensor, Tensor>, ICausalLanguageModel
{
    private readonly TorchSharp.Modules.Embedding logits_table;   // (V, V): row t holds the logits after token t

    public BigramModel(int vocabularySize, int contextLength, double initStd, Device device, long seed) : base("bigram")
    {
        using var generator = new Generator((ulong)seed);
        logits_table = nn.Embedding(vocabularySize, vocabularySize);
        using (no_grad()) logits_table.weight!.normal_(0, initStd, generator);
        RegisterComponents();
        this.to(device);
        VocabularySize = vocabularySize;
        ContextLength = contextLength;
        Device = device;
    }

    public nn.Module Module => this;
    public int ContextLength { get; }
    public int VocabularySize { get; }
    public Device Device { get; }

    public override Tensor forward(Tensor tokens) => logits_table.forward(tokens);   // (B, T) -> (B, T, V)

    public Tensor Forward(Tensor tokens) => forward(tokens);

    // The table row is both the hidden state and the logits: the head is the identity.
    public int Width => VocabularySize;
    public Tensor Features(Tensor tokens) => forward(tokens);
    public Tensor Logits(Tensor features) => features.alias();

    public IDecodingState CreateDecodingState(Tensor leftPadding, long capacity) => new PositionCounter(leftPadding.shape[0], capacity);

    public Tensor Forward(Tensor tokens, IDecodingState state)
    {
        var counter = state as PositionCounter ?? throw new ArgumentException("The decoding state was not made by this model.", nameof(state));
        if (counter.Length + tokens.shape[1] > counter.Capacity)
            throw new InvalidOperationException($"The state holds {counter.Capacity} positions; {counter.Length + tokens.shape[1]} were asked for.");
        counter.Length += tokens.shape[1];
        return forward(tokens);
    }

    // A bigram model looks at one token: its decoding state only counts positions and rows.
    private sealed class PositionCounter(long batchSize, long capacity) : IDecodingState
    {
        public long BatchSize { get; private set; } = batchSize;
        public long Length { get; set; }
        public long Capacity { get; } = capacity;
        public void Select(Tensor rows) => BatchSize = rows.shape[0];
        public void Repeat(long times) => BatchSize *= times;
        public void Dispose() { }
    }
}
