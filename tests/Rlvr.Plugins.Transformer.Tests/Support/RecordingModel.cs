// A test double that passes everything to a real model and records how the sampler uses it: the shapes of forward
// passes, the decoding states it creates and every Repeat and Select.
using Rlvr.Models;
using static TorchSharp.torch;

namespace Rlvr.Plugins.Transformer.Tests.Support;

internal sealed class RecordingModel(ICausalLanguageModel inner) : ICausalLanguageModel
{
    public List<string> Calls { get; } = [];

    public nn.Module Module => inner.Module;
    public int ContextLength => inner.ContextLength;
    public int VocabularySize => inner.VocabularySize;
    public Device Device => inner.Device;
    public int Width => inner.Width;
    public Tensor Features(Tensor tokens) => inner.Features(tokens);
    public Tensor Logits(Tensor features) => inner.Logits(features);

    public Tensor Forward(Tensor tokens)
    {
        Calls.Add($"forward {tokens.shape[0]}x{tokens.shape[1]}");
        return inner.Forward(tokens);
    }

    public IDecodingState CreateDecodingState(Tensor leftPadding, long capacity)
    {
        Calls.Add($"state {leftPadding.shape[0]} rows, capacity {capacity}");
        return new RecordingState(inner.CreateDecodingState(leftPadding, capacity), Calls);
    }

    public Tensor Forward(Tensor tokens, IDecodingState state)
    {
        Calls.Add($"cached {tokens.shape[0]}x{tokens.shape[1]}");
        return inner.Forward(tokens, ((RecordingState)state).Inner);
    }

    public void Dispose() => inner.Dispose();

    private sealed class RecordingState(IDecodingState inner, List<string> calls) : IDecodingState
    {
        public IDecodingState Inner => inner;
        public long BatchSize => inner.BatchSize;
        public long Length => inner.Length;
        public long Capacity => inner.Capacity;

        public void Select(Tensor rows)
        {
            calls.Add($"select {BatchSize} -> {rows.shape[0]}");
            inner.Select(rows);
        }

        public void Repeat(long times)
        {
            calls.Add($"repeat {times}");
            inner.Repeat(times);
        }

        public void Dispose() => inner.Dispose();
    }
}
