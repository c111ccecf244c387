// Activation checkpointing on the tiny checkpoints: the backward pass through recomputed layers gives the gradients of
// the ordinary one, for full fine-tuning and for LoRA adapters under frozen embeddings (where the first layer's input
// needs no gradient); outside training the forward is the ordinary one.
using Rlvr.Plugins.Llama.Tests.Support;
using static TorchSharp.torch;

namespace Rlvr.Plugins.Llama.Tests;

public sealed class ActivationCheckpointingTests
{
    private static readonly long[][] s_ids = [[1, 5, 9, 13, 17, 21, 25, 29], [2, 60, 3, 40, 7, 7, 11, 50]];

    [Theory, InlineData("llama", false), InlineData("qwen2", false), InlineData("llama", true)]
    public void RecomputedLayersGiveTheGradientsOfTheOrdinaryBackwardPass(string name, bool adapters)
    {
        using var scope = NewDisposeScope();
        var lora = adapters ? new LoraSpec(4, 8, LlamaOptions.AllLoraTargets.ToHashSet()) : null;
        using var ordinary = LlamaCheckpoint.Load(Fixtures.Folder(name), 32, float32, CPU, lora, seed: 3);
        using var checkpointed = LlamaCheckpoint.Load(Fixtures.Folder(name), 32, float32, CPU, lora, seed: 3);
        checkpointed.CheckpointLayers = true;
        if (adapters)
        {
            Fixtures.TrainAdapters(ordinary);        // B ≠ 0, the same in both, so that every adapter weight gets a gradient
            Fixtures.TrainAdapters(checkpointed);
        }

        var ids = Fixtures.Ids(s_ids);
        var expected = Backward(ordinary, ids);
        var actual = Backward(checkpointed, ids);
        Assert.Equal(expected.Loss, actual.Loss, 6);
        Assert.Equal(expected.Gradients.Keys.Order(), actual.Gradients.Keys.Order());
        Assert.Equal(adapters ? 2 * 7 * 2 : ordinary.parameters().Count(), actual.Gradients.Count);   // every trainable weight, and only those
        foreach (var (parameter, gradient) in expected.Gradients)
        {
            Assert.True(gradient.abs().max().item<float>() > 0, $"{parameter}: no gradient to compare");
            Assert.True(actual.Gradients[parameter].allclose(gradient, rtol: 1e-4, atol: 1e-6), $"{parameter}: largest difference {Fixtures.MaxDifference(actual.Gradients[parameter], gradient)}");
        }
    }

    [Fact]
    public void OutsideTrainingTheForwardIsTheOrdinaryOne()
    {
        using var scope = NewDisposeScope();
        using var ordinary = Fixtures.Load("llama", contextLength: 32);
        using var checkpointed = Fixtures.Load("llama", contextLength: 32);
        checkpointed.CheckpointLayers = true;
        var ids = Fixtures.Ids(s_ids);
        checkpointed.train();
        ordinary.train();
        using (no_grad()) Assert.True(checkpointed.Forward(ids).equal(ordinary.Forward(ids)).all().item<bool>());
        var logits = checkpointed.Forward(ids);
        Assert.True(logits.requires_grad, "a training forward of the checkpointed model is not differentiable");
        Assert.True(logits.equal(ordinary.Forward(ids)).all().item<bool>(), "the checkpointed forward computes something else");
    }

    private static (double Loss, Dictionary<string, Tensor> Gradients) Backward(LlamaModel model, Tensor ids)
    {
        model.train();
        model.zero_grad();
        var logits = model.Forward(ids);                                                                    // (B, T, V)
        var loss = nn.functional.cross_entropy(logits.narrow(1, 0, ids.shape[1] - 1).reshape(-1, logits.shape[2]), ids.narrow(1, 1, ids.shape[1] - 1).reshape(-1));
        loss.backward();
        return (loss.item<float>(), model.named_parameters().Where(p => p.parameter.grad is not null).ToDictionary(p => p.name, p => p.parameter.grad!.clone()));
    }
}
