using Microsoft.Extensions.Logging.Abstractions;
using Rlvr.Host.Evaluation;
using Rlvr.Host.Tests.Reports;
using Rlvr.Models;
using static TorchSharp.torch;

namespace Rlvr.Host.Tests.Evaluation;

/// <summary>Evaluation:Precision: bfloat16 decodes through the model's IDecodingPrecision; a model without it is refused before anything runs.</summary>
public sealed class EvaluationPrecisionTests
{
    // A model that forwards to a transformer and counts its forward passes; it decodes in a narrower type only if asked to.
    private class Probe(ICausalLanguageModel inner) : ICausalLanguageModel
    {
        public int Forwards;

        protected ICausalLanguageModel Inner => inner;

        public nn.Module Module => inner.Module;
        public int ContextLength => inner.ContextLength;
        public int VocabularySize => inner.VocabularySize;
        public Device Device => inner.Device;
        public int Width => inner.Width;
        public Tensor Forward(Tensor tokens) => inner.Forward(tokens);
        public Tensor Features(Tensor tokens) => inner.Features(tokens);
        public Tensor Logits(Tensor features) => inner.Logits(features);
        public IDecodingState CreateDecodingState(Tensor leftPadding, long capacity) => inner.CreateDecodingState(leftPadding, capacity);

        public Tensor Forward(Tensor tokens, IDecodingState state)
        {
            Forwards++;
            return inner.Forward(tokens, state);
        }

        public void Dispose() => inner.Dispose();
    }

    private sealed class NarrowingProbe(ICausalLanguageModel transformer) : Probe(transformer), IDecodingPrecision
    {
        public List<ScalarType> Asked { get; } = [];

        public IDecodingState CreateDecodingState(Tensor leftPadding, long capacity, ScalarType precision)
        {
            Asked.Add(precision);
            return ((IDecodingPrecision)Inner).CreateDecodingState(leftPadding, capacity, precision);
        }
    }

    [Fact]
    public void BFloat16EvaluationDecodesInBFloat16()
    {
        var tokenizer = new CharTokenizer(TinyEvaluation.Alphabet);
        using var host = TinyEvaluation.Host();
        using var model = new NarrowingProbe(TinyEvaluation.Transformer(host, tokenizer));
        var options = new EvaluationOptions { Samples = 8, MaxNewTokens = 3, BootstrapResamples = 10, Precision = "bfloat16" };

        var result = new Evaluator(options, NullLogger.Instance).Evaluate(model, tokenizer, new TinyEvaluation.StartsWithA(), TinyEvaluation.Problems, seed: 7);

        Assert.NotEmpty(model.Asked);
        Assert.All(model.Asked, p => Assert.Equal(ScalarType.BFloat16, p));
        Assert.Equal(TinyEvaluation.Problems.Count, result.PerProblem.Count);
        Assert.All(result.PerProblem, p => Assert.Equal(8, p.Samples));
    }

    [Fact]
    public void AModelThatDecodesOnlyInItsOwnTypeIsRefusedBeforeAnythingRuns()
    {
        var tokenizer = new CharTokenizer(TinyEvaluation.Alphabet);
        using var host = TinyEvaluation.Host();
        using var model = new Probe(TinyEvaluation.Transformer(host, tokenizer));
        var options = new EvaluationOptions { Samples = 8, MaxNewTokens = 3, BootstrapResamples = 10, Precision = "bfloat16" };

        var error = Assert.Throws<InvalidOperationException>(() => new Evaluator(options, NullLogger.Instance).Evaluate(model, tokenizer, new TinyEvaluation.StartsWithA(), TinyEvaluation.Problems, seed: 7));

        Assert.Contains("Evaluation:Precision=bfloat16", error.Message);
        Assert.Equal(0, model.Forwards);
    }
}
