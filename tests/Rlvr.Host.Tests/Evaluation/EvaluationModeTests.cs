using Microsoft.Extensions.Logging.Abstractions;
using Rlvr.Host.Evaluation;
using Rlvr.Host.Tests.Reports;
using Rlvr.Models;
using static TorchSharp.torch;

namespace Rlvr.Host.Tests.Evaluation;

/// <summary>The evaluator runs a model that has an evaluation mode in that mode, and leaves it afterwards.</summary>
public sealed class EvaluationModeTests
{
    // A transformer that counts the forward passes made inside and outside its evaluation mode.
    private sealed class ModeProbe(ICausalLanguageModel inner) : ICausalLanguageModel, IEvaluationMode
    {
        public int Depth, Inside, Outside;

        public IDisposable BeginEvaluation()
        {
            Depth++;
            return new Exit(this);
        }

        private sealed class Exit(ModeProbe probe) : IDisposable
        {
            public void Dispose() => probe.Depth--;
        }

        private Tensor Count(Tensor result)
        {
            if (Depth > 0) Inside++;
            else Outside++;
            return result;
        }

        public nn.Module Module => inner.Module;
        public int ContextLength => inner.ContextLength;
        public int VocabularySize => inner.VocabularySize;
        public Device Device => inner.Device;
        public int Width => inner.Width;
        public Tensor Forward(Tensor tokens) => Count(inner.Forward(tokens));
        public Tensor Features(Tensor tokens) => Count(inner.Features(tokens));
        public Tensor Logits(Tensor features) => inner.Logits(features);
        public IDecodingState CreateDecodingState(Tensor leftPadding, long capacity) => inner.CreateDecodingState(leftPadding, capacity);
        public Tensor Forward(Tensor tokens, IDecodingState state) => Count(inner.Forward(tokens, state));
        public void Dispose() => inner.Dispose();
    }

    [Fact]
    public void EveryForwardPassOfAnEvaluationRunsInsideTheModelsEvaluationModeWhichItLeavesAfterwards()
    {
        var tokenizer = new CharTokenizer(TinyEvaluation.Alphabet);
        using var host = TinyEvaluation.Host();
        using var model = new ModeProbe(TinyEvaluation.Transformer(host, tokenizer));
        var options = new EvaluationOptions { Samples = 8, MaxNewTokens = 3, BootstrapResamples = 10 };

        new Evaluator(options, NullLogger.Instance).Evaluate(model, tokenizer, new TinyEvaluation.StartsWithA(), TinyEvaluation.Problems, seed: 7);

        Assert.True(model.Inside > 0, "the evaluation made no forward pass");
        Assert.Equal(0, model.Outside);
        Assert.Equal(0, model.Depth);
    }
}
