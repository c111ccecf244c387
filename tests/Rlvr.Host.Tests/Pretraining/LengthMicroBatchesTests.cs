using Microsoft.Extensions.DependencyInjection;
using Rlvr.Host.Plugins;
using Rlvr.Host.Pretraining;
using Rlvr.Models;
using Rlvr.Tasks;
using Rlvr.Tokenizers;
using TorchSharp;
using static TorchSharp.torch;

namespace Rlvr.Host.Tests.Pretraining;

public sealed class LengthMicroBatchesTests
{
    private static readonly string[] s_texts = ["aaaaaa", "b", "ccc", "dddd", "ee", "fffff", "g"];

    [Fact]
    public void OnePartKeepsTheDocumentsInTheirOrder() =>
        Assert.Equal(s_texts, Assert.Single(LengthMicroBatches.Split(s_texts, 1)));

    [Fact]
    public void PartsHoldEveryDocumentOnceShortestFirstInNearlyEqualSizes()
    {
        var parts = LengthMicroBatches.Split(s_texts, 3);

        Assert.Equal(new[] { new[] { "b", "g" }, ["ee", "ccc"], ["dddd", "fffff", "aaaaaa"] }, parts);   // 7 = 2 + 2 + 3; ties keep their order
    }

    [Fact]
    public void MorePartsThanDocumentsIsAnError() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => LengthMicroBatches.Split(s_texts, 8));

    [Fact]
    public void MicroBatchesGiveTheLossAndGradientOfTheWholePaddedBatch()
    {
        using var host = RlvrHostBuilder.Create(new RlvrHostSettings
        {
            Overrides = ["--Models:Transformer:Layers=2", "--Models:Transformer:Width=32", "--Models:Transformer:Heads=2", "--Models:Transformer:ContextLength=128"],
        }).Build();
        var catalog = host.Services.GetRequiredService<ComponentCatalog>();
        var task = catalog.Get<IProblemGenerator>("arithmetic");
        var tokenizer = catalog.Get<ITokenizerFactory>("char").Create(task.Alphabet);
        var random = new Random(3);
        var texts = Enumerable.Range(0, 12).Select(_ =>
        {
            var problem = task.Generate(random.Next(task.Difficulties.Min, task.Difficulties.Max + 1), random);
            return problem.Prompt + task.WriteSolution(problem, new SolutionNoise(0, 0), random);
        }).ToArray();
        Assert.True(texts.Select(t => t.Length).Distinct().Count() > 3, "the documents should differ in length");
        using var model = catalog.Get<IModelArchitecture>("transformer").Create(tokenizer.VocabularySize, CPU, seed: 5);

        (double Loss, long Supervised, float[] Gradient) Step(int parts)
        {
            using var scope = NewDisposeScope();
            model.Module.zero_grad();
            var batches = LengthMicroBatches.Batches(tokenizer, texts, parts, CPU);
            var loss = LengthMicroBatches.Backward(model, batches);
            long supervised = batches.Sum(b => b.Supervised);
            var gradient = cat([.. model.Module.parameters().Select(p => p.grad!.flatten())]).data<float>().ToArray();
            return (loss.item<float>(), supervised, gradient);
        }

        var whole = Step(1);
        var split = Step(4);

        Assert.Equal(texts.Sum(t => t.Length + 1), whole.Supervised);   // every next token after BOS, EOS included
        Assert.Equal(whole.Supervised, split.Supervised);
        Assert.Equal(whole.Loss, split.Loss, 1e-5);
        double scale = whole.Gradient.Max(g => Math.Abs(g));
        Assert.True(scale > 1e-4, "the gradient should not vanish");
        Assert.All(whole.Gradient.Zip(split.Gradient), g => Assert.True(Math.Abs(g.First - g.Second) <= 1e-4 * scale, $"{g.First} vs {g.Second}"));
    }
}
