// The base model's log-likelihood of a completion: log p(completion + EOS | BOS + prompt) = Σ_t log p(x_t | x_<t)
// over the completion's tokens and its EOS, the sequence the sampler drew. Batched teacher forcing through
// TokenBatch (the prompt is the unsupervised prefix, as in SFT), on the calling thread.
using Rlvr.Models;
using Rlvr.Tokenizers;
using Rlvr.Training;
using static TorchSharp.torch;

namespace Rlvr.Reporting;

/// <summary>Scores completions under a model; owns and disposes the model.</summary>
public sealed class BaseLogLikelihood(ICausalLanguageModel model, ITokenizer tokenizer) : IDisposable
{
    /// <summary>The sum of token log-probabilities (nats) of each completion, EOS included, given its prompt.</summary>
    public double[] Score(IReadOnlyList<(string Prompt, string Completion)> items, int batchSize = 256)
    {
        var scores = new double[items.Count];
        bool wasTraining = model.Module.training;
        model.Module.eval();                                                  // no dropout
        try
        {
            using var inference = inference_mode();
            for (int start = 0; start < items.Count; start += batchSize)
            {
                using var scope = NewDisposeScope();
                var batch = items.Skip(start).Take(batchSize).ToList();
                var (inputs, targets, _) = TokenBatch.Create(tokenizer, [.. batch.Select(i => i.Prompt + i.Completion)], model.Device,
                    b => tokenizer.Encode(batch[b].Prompt).Length);
                var logits = model.Forward(inputs);                           // (B, T, V)
                var nll = nn.functional.cross_entropy(logits.flatten(0, 1), targets.flatten(), ignore_index: TokenBatch.IgnoreIndex,
                    reduction: nn.Reduction.None);                            // (B·T,), 0 where ignored
                var sums = (-nll.view(targets.shape).sum(1)).to(float64).cpu().data<double>().ToArray();   // sync point
                sums.CopyTo(scores, start);
            }
        }
        finally
        {
            if (wasTraining) model.Module.train();
        }
        return scores;
    }

    public void Dispose() => model.Dispose();
}
