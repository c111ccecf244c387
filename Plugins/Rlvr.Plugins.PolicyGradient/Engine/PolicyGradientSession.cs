// One policy-gradient step, the same for every algorithm of the family; the objective's parts come from registries:
//   sample G completions per problem (lp_old kept) → rewards (+ overlong shaping), placed on tokens (+ KL in the
//   reward) → advantages (the estimator; a critic's values when it needs them) → for each epoch and mini-batch:
//   policy loss (+ KL in the loss) (+ value loss), aggregated, clipped gradient, AdamW step.
using System.Diagnostics;
using System.Text.Json;
using Rlvr.Models;
using Rlvr.Objectives;
using Rlvr.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Rlvr.PolicyGradient;

internal sealed class PolicyGradientSession : ITrainingSession
{
    private readonly PolicyOptimizationOptions _o;
    private readonly ObjectiveParts _parts;
    private readonly ObjectiveSettings _settings;
    private readonly CriticSettings? _criticSettings;  // null: the estimator needs no critic
    private readonly TrainingContext _context;
    private readonly ICausalLanguageModel _policy;
    private readonly ICausalLanguageModel? _reference; // null when KlCoefficient is 0, or when the policy's frozen weights are the reference
    private readonly IAdapters? _frozen;               // a policy with adapters: itself with them switched off is the reference, held once
    private readonly Critic? _critic;
    private readonly AdamW _optimizer;
    private readonly AdamW? _criticOptimizer;
    private int _step;

    public PolicyGradientSession(PolicyOptimizationOptions options, ObjectiveParts parts, TrainingContext context)
    {
        _o = options;
        _parts = parts;
        _settings = options.Settings();
        _context = context;
        _policy = context.Policy;

        if (options.KlCoefficient > 0)
        {
            if (_policy is IAdapters { HasAdapters: true } adapters) _frozen = adapters;
            else _reference = PolicyCopy.Of(context, trainable: false);
        }
        _optimizer = Optimization.AdamW(_policy.Module.parameters(), options.LearningRate, options.WeightDecay, options.Beta1, options.Beta2);
        if (parts.Advantage.NeedsCritic)
        {
            _criticSettings = options.CriticTraining()
                ?? throw new InvalidOperationException($"The advantage estimator '{options.Advantage}' needs a critic, which only the ppo presets train.");
            _critic = _criticSettings.Separate ? Critic.Separate(PolicyCopy.Of(context, trainable: true)) : Critic.Shared(_policy);
            _criticOptimizer = Optimization.AdamW(_critic.Parameters, _criticSettings.LearningRate, options.WeightDecay, options.Beta1, options.Beta2);
        }
    }

    public IReadOnlyDictionary<string, double> Step()
    {
        var clock = Stopwatch.StartNew();
        var metrics = new Dictionary<string, double>();
        using var scope = NewDisposeScope();

        var (drawn, batch) = Rollout(metrics);
        Describe(drawn, metrics);
        if (batch is null)
        {
            // Dynamic sampling found nothing to learn from: the step changes neither the weights nor the optimiser
            // (an AdamW step on zero gradients would still decay the weights and move its moments).
            _step++;
            metrics["updates"] = 0;
            metrics["time_sampling_s"] = drawn.SamplingSeconds;
            metrics["time_scoring_s"] = drawn.ScoringSeconds;
            metrics["step_time_s"] = clock.Elapsed.TotalSeconds;
            return metrics;
        }
        var mask = LossMask(batch);                                                               // (B, T)
        var rewards = Rewards(batch, metrics);                                                    // (B)
        double rolloutSeconds = clock.Elapsed.TotalSeconds;

        var referenceClock = Stopwatch.StartNew();
        Tensor? lpRef = null, valuesOld = null;
        using (no_grad())
        {
            if (_reference is not null || _frozen is not null)
                using (_frozen?.WithoutAdapters()) lpRef = TokenLogProbs.Of((_reference ?? _policy).Forward(batch.Tokens), batch.Tokens, _context.Rollouts.Temperature);
            if (_critic is not null)
            {
                _critic.Train(false);
                valuesOld = _critic.Values(batch.Tokens, _critic.IsShared ? _policy.Features(batch.Tokens) : null);
            }
        }
        var (advantages, returns) = Advantage(batch, rewards, mask, valuesOld, lpRef);
        metrics["time_reference_s"] = referenceClock.Elapsed.TotalSeconds;

        var updateClock = Stopwatch.StartNew();
        double lr = LearningRateSchedule.At(_step, _context.TotalSteps, _o.WarmupSteps, _o.LearningRate, _o.LearningRate);
        _optimizer.SetLearningRate(lr);
        Update(batch, mask, advantages, lpRef, valuesOld, returns, metrics);
        metrics["time_update_s"] = updateClock.Elapsed.TotalSeconds;

        _step++;
        long tokens = (long)mask.sum().item<float>();
        metrics["lr"] = lr;
        metrics["time_rollout_s"] = rolloutSeconds;
        metrics["time_sampling_s"] = batch.SamplingSeconds;
        metrics["time_scoring_s"] = batch.ScoringSeconds;
        metrics["step_time_s"] = clock.Elapsed.TotalSeconds;
        metrics["tokens"] = tokens;
        metrics["tokens_per_s"] = batch.Tokens.shape[0] * (batch.Tokens.shape[1] - 1) / clock.Elapsed.TotalSeconds;
        return metrics;
    }

    // Samples PromptsPerStep groups: the step's draw, and the batch trained on. They are one batch except under dynamic
    // sampling, which trains only on groups whose rewards differ, sampling again up to the cap; it judges the groups on
    // the rewards the update uses (overlong penalty included), so a dropped group is one whose advantage is zero.
    // Trained is null when no round held such a group: there is nothing to learn this step.
    private (RolloutBatch Drawn, RolloutBatch? Trained) Rollout(Dictionary<string, double> metrics)
    {
        var first = _context.Rollouts.Generate(_context.Problems.Next(_o.PromptsPerStep), _o.GroupSize);
        if (_o.DynamicSamplingRounds is not { } maxRounds) return (first, first);

        var parts = new List<(RolloutBatch, IReadOnlyList<int>)>();
        int kept = 0, sampled = 0, rounds = 0;
        for (var batch = first; ; batch = _context.Rollouts.Generate(_context.Problems.Next(_o.PromptsPerStep), _o.GroupSize))
        {
            rounds++;
            sampled += batch.Problems.Count;
            var groups = RolloutRows.InformativeGroups(Rewards(batch).data<float>().Select(r => (double)r).ToList(), batch.GroupSize)
                .Take(_o.PromptsPerStep - kept).ToList();
            kept += groups.Count;
            if (groups.Count > 0) parts.Add((batch, groups));
            if (kept == _o.PromptsPerStep || rounds == maxRounds) break;
        }
        metrics["dynamic_dropped_fraction"] = 1.0 - (double)kept / sampled;
        metrics["dynamic_rounds"] = rounds;
        metrics["dynamic_kept_groups"] = kept;
        return (first, parts.Count == 0 ? null : RolloutRows.Join(parts, _context.Tokenizer.Pad));
    }

    private Tensor LossMask(RolloutBatch batch)
    {
        if (!_o.MaskTruncated) return batch.CompletionMask;
        var kept = tensor(batch.Truncated.Select(t => t ? 0f : 1f).ToArray(), device: batch.Tokens.device);
        return batch.CompletionMask * kept.unsqueeze(1);
    }

    // R_i: the combined reward, plus DAPO's soft overlong penalty min(−(L − (L_max − L_buf)) / L_buf, 0).
    private Tensor Rewards(RolloutBatch batch, Dictionary<string, double>? metrics = null)
    {
        var values = tensor(batch.Rewards.Select(r => (float)r.Value).ToArray(), device: batch.Tokens.device);
        if (_o.OverlongBuffer > 0)
        {
            var lengths = batch.CompletionMask.sum(1);                                            // (B)
            double start = _context.Rollouts.MaxNewTokens - _o.OverlongBuffer;
            var penalty = ((lengths - start) / -(double)_o.OverlongBuffer).clamp_max(0.0);
            if (metrics is not null) metrics["overlong_penalty_mean"] = penalty.mean().item<float>();
            values = values + penalty;
        }
        return values;
    }

    // What the policy did this step, read from the fresh draw: the kept groups of dynamic sampling are chosen by their
    // rewards, so their mean is not the policy's reward and could rise without the policy getting better.
    private static void Describe(RolloutBatch drawn, Dictionary<string, double> metrics)
    {
        var R = drawn.Rewards.Select(r => r.Value).ToArray();
        double mean = R.Average();
        metrics["reward_mean"] = mean;
        metrics["reward_std"] = Math.Sqrt(R.Average(r => (r - mean) * (r - mean)));
        metrics["zero_std_groups"] = 1.0 - (double)RolloutRows.InformativeGroups(R, drawn.GroupSize).Count / drawn.Problems.Count;
        foreach (var (name, perRow) in drawn.RewardsByFunction) metrics[$"reward/{name}"] = perRow.Average();
        metrics["answer_accuracy"] = drawn.Verifications.Average(v => v.AnswerCorrect ? 1.0 : 0.0);
        metrics["step_verified_accuracy"] = drawn.Verifications.Average(v => v.AllStepsCorrect ? 1.0 : 0.0);
        var lengths = drawn.CompletionMask.sum(1);                                                // (B)
        metrics["length_mean"] = lengths.mean().item<float>();
        metrics["length_max"] = lengths.max().item<float>();
        metrics["length_clipped_fraction"] = drawn.Truncated.Average(t => t ? 1.0 : 0.0);
    }

    // Advantages per token (B, T), 0 off the mask, and the critic's returns. KL in the reward is a per-token penalty on
    // the placed rewards and, summed over the row, on the row's reward.
    private AdvantageEstimate Advantage(RolloutBatch batch, Tensor rewards, Tensor mask, Tensor? values, Tensor? lpRef)
    {
        var tokenRewards = _parts.Placement.Place(rewards, batch, mask);
        if (lpRef is not null && _o.KlIn == "reward")
        {
            var klReward = _parts.RewardKl.Estimate(batch.SampleLogProbs, lpRef) * mask;
            (rewards, tokenRewards) = (rewards - _o.KlCoefficient * klReward.sum(1), tokenRewards - _o.KlCoefficient * klReward);
        }
        return _parts.Advantage.Estimate(new AdvantageInputs(rewards, tokenRewards, mask, batch.GroupSize, batch.StepRewards, values, _settings));
    }

    private void Update(RolloutBatch batch, Tensor mask, Tensor advantages, Tensor? lpRef, Tensor? valuesOld, Tensor? returns, Dictionary<string, double> metrics)
    {
        bool policyMoves = _criticSettings is null || _step >= _criticSettings.WarmupSteps;
        long B = batch.Tokens.shape[0];
        int parts = (int)Math.Min(_o.MiniBatches, B);
        _policy.Module.train();
        _critic?.Train(true);
        double policyLoss = 0, valueLoss = 0, kl = 0, entropy = 0, clipLow = 0, clipHigh = 0, gradNorm = 0;
        int updates = 0;
        var shuffle = SeedStream.Random(_context.Seed ^ 0x5eed, _step);   // a function of the step, so a resumed run shuffles alike
        for (int epoch = 0; epoch < _o.Epochs; epoch++)
        {
            var order = Enumerable.Range(0, (int)B).OrderBy(_ => shuffle.Next()).ToArray();
            for (int part = 0; part < parts; part++)
            {
                using var inner = NewDisposeScope();
                var rows = tensor(order.Where((_, i) => i % parts == part).Select(i => (long)i).ToArray(), device: mask.device);
                Tensor Rows(Tensor t) => t.index_select(0, rows);
                var (tokens, m, a, lpOld) = (Rows(batch.Tokens), Rows(mask), Rows(advantages), Rows(batch.SampleLogProbs));

                var features = _policy.Features(tokens);
                var logits = _policy.Logits(features);
                var lp = TokenLogProbs.Of(logits, tokens, _context.Rollouts.Temperature);   // the sampled policy, softmax(logits / τ)
                var terms = _parts.PolicyLoss.Loss(new PolicyLossInputs(lp, lpOld, a, m, _settings));
                var loss = _parts.Aggregation.Aggregate(terms.PerToken, m, _context.Rollouts.MaxNewTokens);
                policyLoss += loss.item<float>();
                if (!policyMoves) loss = loss * 0.0;
                if (lpRef is not null)
                {
                    var klLoss = _parts.Aggregation.Aggregate(_parts.Kl.Estimate(lp, Rows(lpRef)), m, _context.Rollouts.MaxNewTokens);
                    kl += klLoss.item<float>();
                    if (_o.KlIn == "loss" && policyMoves) loss = loss + _o.KlCoefficient * klLoss;
                }
                if (_critic is not null)
                {
                    var values = _critic.Values(tokens, _critic.IsShared ? features : null);
                    var vLoss = PolicyLoss.ValueLoss(values, Rows(valuesOld!), Rows(returns!), m, _criticSettings!.ValueClip);
                    valueLoss += vLoss.item<float>();
                    loss = loss + (_critic.IsShared ? _criticSettings.ValueCoefficient : 1.0) * vLoss;
                }
                entropy += PolicyLoss.Entropy(logits.detach(), m);
                var (low, high) = PolicyLoss.ClipFractions(terms.Ratio.detach(), a, m, _o.ClipLow, _o.ClipHigh);
                (clipLow, clipHigh) = (clipLow + low, clipHigh + high);

                double total = loss.item<float>();
                if (!double.IsFinite(total))
                    throw new ArithmeticException($"The policy-gradient loss is {total} at step {_step + 1}; the update was not applied. " +
                                                  "Lower the algorithm's LearningRate or raise its WarmupSteps.");
                _optimizer.zero_grad();
                _criticOptimizer?.zero_grad();
                loss.backward();
                if (_o.GradClip > 0)
                {
                    gradNorm += nn.utils.clip_grad_norm_(_policy.Module.parameters(), _o.GradClip);
                    if (_critic is { IsShared: false }) nn.utils.clip_grad_norm_(_critic.Parameters, _o.GradClip);
                }
                if (policyMoves) _optimizer.step();
                _criticOptimizer?.step();
                updates++;
            }
        }
        metrics["policy_loss"] = policyLoss / updates;
        metrics["entropy"] = entropy / updates;
        metrics["clip_low"] = clipLow / updates;
        metrics["clip_high"] = clipHigh / updates;
        metrics["grad_norm"] = _o.GradClip > 0 ? gradNorm / updates : double.NaN;
        metrics["updates"] = updates;
        if (lpRef is not null) metrics["kl"] = kl / updates;
        if (_critic is not null) metrics["value_loss"] = valueLoss / updates;
    }

    private const string StateFile = "policy-gradient.json", OptimizerFile = "optimizer.bin", CriticFile = "critic-head.bin",
        CriticTrunkFile = "critic-trunk.bin", CriticOptimizerFile = "critic-optimizer.bin", ReferenceFile = "reference.bin";

    public void Save(string folder)
    {
        Directory.CreateDirectory(folder);
        _optimizer.save_state_dict(Path.Combine(folder, OptimizerFile));
        _reference?.Module.save(Path.Combine(folder, ReferenceFile));
        if (_critic is not null)
        {
            _critic.Save(Path.Combine(folder, CriticFile));
            _critic.SaveTrunk(Path.Combine(folder, CriticTrunkFile));
            _criticOptimizer!.save_state_dict(Path.Combine(folder, CriticOptimizerFile));
        }
        File.WriteAllText(Path.Combine(folder, StateFile), JsonSerializer.Serialize(new SessionState(_step)));
    }

    public void Load(string folder)
    {
        _optimizer.load_state_dict(Path.Combine(folder, OptimizerFile));
        _reference?.Module.load(Path.Combine(folder, ReferenceFile));
        if (_critic is not null)
        {
            _critic.Load(Path.Combine(folder, CriticFile), Path.Combine(folder, CriticTrunkFile));
            _criticOptimizer!.load_state_dict(Path.Combine(folder, CriticOptimizerFile));
        }
        _step = JsonSerializer.Deserialize<SessionState>(File.ReadAllText(Path.Combine(folder, StateFile)))!.Step;
    }

    private sealed record SessionState(int Step);

    public void Dispose()
    {
        _optimizer.Dispose();
        _criticOptimizer?.Dispose();
        _critic?.Dispose();
        _reference?.Dispose();
    }
}
