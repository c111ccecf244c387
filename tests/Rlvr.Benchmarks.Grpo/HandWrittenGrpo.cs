// The step benchmark's baseline: one GRPO step written out in plain TorchSharp, nanoGPT style, with no framework
// session. It does the work the framework's step does, and nothing more:
//   draw problems → sample G completions each (the shared BatchedSampler) → decode, verify, reward 1/0 → token, mask
//   and old log-prob tensors → reference log-probs (no grad) → group advantages → clipped surrogate + β·k3 KL,
//   seq-mean-token-mean → backward → clip the gradient norm → AdamW step.
// Problems come from the same Random seed, the sampler has the same options and the model the same initial weights,
// so the two sides sample the same prompts and, at first, the same tokens.
using System.Diagnostics;
using Rlvr.Models;
using Rlvr.PolicyGradient;
using Rlvr.Sampling;
using Rlvr.Tasks;
using Rlvr.Tokenizers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Rlvr.Benchmarks.Grpo;

/// <summary>Seconds spent in each phase of one step, and the step's loss terms.</summary>
internal sealed record StepTimes(double Sampling, double Scoring, double Reference, double Update, double Total, double RewardMean, double LengthMean, double PolicyLoss, double Kl);

internal sealed class HandWrittenGrpo : IDisposable
{
    private readonly GrpoOptions _o;
    private readonly IProblemGenerator _task;
    private readonly IVerifier _verifier;
    private readonly ITokenizer _tokenizer;
    private readonly ICausalLanguageModel _policy, _reference;
    private readonly Parameter[] _parameters;
    private readonly AdamW _optimizer;
    private readonly BatchedSampler _sampler;
    private readonly Random _random;

    public HandWrittenGrpo(Lab lab, ITokenizer tokenizer, GrpoOptions options, SamplingOptions sampling, long modelSeed, int problemSeed)
    {
        (_o, _task, _verifier, _tokenizer) = (options, lab.Task, lab.Verifier, tokenizer);
        _policy = lab.Model(modelSeed);
        _reference = lab.Model(modelSeed);                                 // the same weights, frozen
        foreach (var p in _reference.Module.parameters()) p.requires_grad = false;
        _reference.Module.eval();
        _parameters = [.. _policy.Module.parameters()];
        _optimizer = optim.AdamW(_parameters, lr: options.LearningRate, beta1: options.Beta1, beta2: options.Beta2, weight_decay: options.WeightDecay);
        _sampler = new BatchedSampler(sampling);
        _random = new Random(problemSeed);
    }

    public StepTimes Step()
    {
        int P = _o.PromptsPerStep, G = _o.GroupSize;
        var total = Stopwatch.StartNew();
        var clock = Stopwatch.StartNew();

        // 1. Sampling: P problems, G completions each; row i answers problem i / G.
        var range = _task.Difficulties;
        var problems = Enumerable.Range(0, P).Select(_ => _task.Generate(_random.Next(range.Min, range.Max + 1), _random)).ToArray();
        var prompts = problems.Select(p => (int[])[_tokenizer.Bos, .. _tokenizer.Encode(p.Prompt)]).ToArray();
        var samples = _sampler.Sample(_policy, prompts, G, _tokenizer.Eos, _tokenizer.Pad);
        double sampling = clock.Elapsed.TotalSeconds;

        // 2. Scoring: decode, verify, reward 1/0; lay prompt + completion out left-aligned, padded on the right.
        clock.Restart();
        int B = samples.Count, T = samples.Max(s => prompts[s.Prompt].Length + s.Tokens.Length);
        var ids = new long[B * T];
        var completionMask = new float[B * T];
        var sampleLogProbs = new float[B * T];
        var rewards = new float[B];
        Array.Fill(ids, _tokenizer.Pad);
        for (int i = 0; i < B; i++)
        {
            var (prompt, completion) = (prompts[samples[i].Prompt], samples[i].Tokens);
            for (int t = 0; t < prompt.Length; t++) ids[i * T + t] = prompt[t];
            for (int t = 0; t < completion.Length; t++)
            {
                ids[i * T + prompt.Length + t] = completion[t];
                completionMask[i * T + prompt.Length + t] = 1f;
                sampleLogProbs[i * T + prompt.Length + t] = samples[i].LogProbs[t];
            }
            var text = _tokenizer.Decode(completion.AsSpan(0, completion.Length - (samples[i].Truncated ? 0 : 1)));
            rewards[i] = _verifier.Verify(problems[samples[i].Prompt], text).AnswerCorrect ? 1f : 0f;
        }
        var tokens = tensor(ids, [B, T]);
        var mask = tensor(completionMask, [B, T]).narrow(1, 1, T - 1);    // (B, T−1): position t predicts token t+1
        var lpOld = tensor(sampleLogProbs, [B, T]).narrow(1, 1, T - 1);
        double scoring = clock.Elapsed.TotalSeconds;

        // 3. Reference log-probs and GRPO advantages A = (R − mean_g R) / (std_g R + ε), one per row.
        clock.Restart();
        Tensor lpRef;
        using (no_grad()) lpRef = LogProbs(_reference.Forward(tokens), tokens);
        var R = tensor(rewards).view(-1, G);                                // (P, G)
        var A = ((R - R.mean([1], keepdim: true)) / (R.std(1, unbiased: true, keepdim: true) + _o.Epsilon)).view(-1, 1);   // (B, 1)
        double reference = clock.Elapsed.TotalSeconds;

        // 4. Update: clipped surrogate + β·k3 KL per token, mean over each row's tokens, mean over rows.
        clock.Restart();
        _policy.Module.train();
        var lp = LogProbs(_policy.Forward(tokens), tokens);                 // (B, T−1)
        var ratio = (lp - lpOld).clamp(-20, 20).exp();
        var surrogate = maximum(-ratio * A, -ratio.clamp(1 - _o.ClipLow, 1 + _o.ClipHigh) * A);
        var d = (lpRef - lp).clamp(-20, 20);
        var kl = d.exp() - d - 1;                                           // k3 ≥ 0, unbiased for KL(π ‖ π_ref)
        var perRow = mask.sum(1);
        var policyLoss = ((surrogate * mask).sum(1) / perRow).mean();
        var klLoss = ((kl * mask).sum(1) / perRow).mean();
        var loss = policyLoss + _o.KlCoefficient * klLoss;
        _optimizer.zero_grad();
        loss.backward();
        nn.utils.clip_grad_norm_(_parameters, _o.GradClip);
        _optimizer.step();
        var (policyValue, klValue) = (policyLoss.item<float>(), klLoss.item<float>());
        double update = clock.Elapsed.TotalSeconds;

        return new StepTimes(sampling, scoring, reference, update, total.Elapsed.TotalSeconds,
            rewards.Average(), samples.Average(s => s.Tokens.Length), policyValue, klValue);
    }

    // log π(token t+1 | tokens ≤ t) for t = 0..T−2: (B, T−1).
    private static Tensor LogProbs(Tensor logits, Tensor tokens)
    {
        long T = tokens.shape[1];
        return logits.narrow(1, 0, T - 1).log_softmax(-1).gather(-1, tokens.narrow(1, 1, T - 1).unsqueeze(-1)).squeeze(-1);
    }

    public void Dispose()
    {
        _optimizer.Dispose();
        _policy.Dispose();
        _reference.Dispose();
    }
}
