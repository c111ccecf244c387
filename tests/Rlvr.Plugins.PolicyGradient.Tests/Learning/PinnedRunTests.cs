// Fixed-seed runs of three algorithms, two steps each, pinned to their exact metrics and weights: any change to the
// numbers of an existing configuration fails here. A change of kernels that moves float sums in their last bits (the
// sampler's decode attention, for one) re-pins them only where every sampled token, reward and length stays the same
// and the float metrics move by rounding alone. Also parts mixed into another preset, and the presets built from new
// parts, end to end.
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Rlvr.Training;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Rlvr.PolicyGradient.Tests.Learning;

public sealed class PinnedRunTests(PretrainedBase world, ITestOutputHelper output) : IClassFixture<PretrainedBase>
{
    [Fact]
    public void GrpoWithKlInTheLossGivesThePinnedNumbers() => AssertPinned(
        new GrpoOptions { PromptsPerStep = 4, GroupSize = 4, LearningRate = 3e-4, WarmupSteps = 0, KlCoefficient = 0.04, MiniBatches = 2, Epochs = 2 },
        "6346D122099F8685A0BBB805223852DDBAAF3B12C5BA1A4FB8C4FD1F65FF018F", new()
        {
            {"0:answer_accuracy", "0.75"},
            {"0:clip_high", "0.005437352228909731"},
            {"0:clip_low", "0.013770685764029622"},
            {"0:entropy", "0.1124244537204504"},
            {"0:grad_norm", "0.8295065462589264"},
            {"0:kl", "0.07391119726526085"},
            {"0:length_clipped_fraction", "0"},
            {"0:length_max", "13"},
            {"0:length_mean", "11.5"},
            {"0:lr", "0.0003"},
            {"0:policy_loss", "-0.0030784588307142258"},
            {"0:reward/terminal", "0.75"},
            {"0:reward_mean", "0.75"},
            {"0:reward_std", "0.4330127018922193"},
            {"0:step_verified_accuracy", "0.75"},
            {"0:tokens", "184"},
            {"0:updates", "4"},
            {"0:zero_std_groups", "0.5"},
            {"1:answer_accuracy", "0.875"},
            {"1:clip_high", "0"},
            {"1:clip_low", "0.005102040711790323"},
            {"1:entropy", "0.09893983975052834"},
            {"1:grad_norm", "0.31979331001639366"},
            {"1:kl", "0.006242586410280637"},
            {"1:length_clipped_fraction", "0"},
            {"1:length_max", "13"},
            {"1:length_mean", "12.5"},
            {"1:lr", "0.0003"},
            {"1:policy_loss", "-0.0013418830931186676"},
            {"1:reward/terminal", "0.875"},
            {"1:reward_mean", "0.875"},
            {"1:reward_std", "0.33071891388307384"},
            {"1:step_verified_accuracy", "0.875"},
            {"1:tokens", "200"},
            {"1:updates", "4"},
            {"1:zero_std_groups", "0.5"},
        });

    [Fact]
    public void PpoWithKlInTheRewardGivesThePinnedNumbers() => AssertPinned(
        new PpoOptions { PromptsPerStep = 4, GroupSize = 4, LearningRate = 3e-4, WarmupSteps = 0, KlCoefficient = 0.05, KlIn = "reward", KlEstimator = "k1", DualClip = 3 },
        "89F471BFA275D1C81FCBB8EBC1F9ECFB775EF868194B1BF220CB02692EF62D09", new()
        {
            {"0:answer_accuracy", "0.75"},
            {"0:clip_high", "0.005437352228909731"},
            {"0:clip_low", "0.013770685764029622"},
            {"0:entropy", "0.10886993445456028"},
            {"0:grad_norm", "1.111855536699295"},
            {"0:kl", "-0.0318354070695932"},
            {"0:length_clipped_fraction", "0"},
            {"0:length_max", "13"},
            {"0:length_mean", "11.5"},
            {"0:lr", "0.0003"},
            {"0:policy_loss", "0.0033588334918022156"},
            {"0:reward/terminal", "0.75"},
            {"0:reward_mean", "0.75"},
            {"0:reward_std", "0.4330127018922193"},
            {"0:step_verified_accuracy", "0.75"},
            {"0:tokens", "184"},
            {"0:updates", "4"},
            {"0:value_loss", "0.21731159090995789"},
            {"0:zero_std_groups", "0.5"},
            {"1:answer_accuracy", "0.875"},
            {"1:clip_high", "0"},
            {"1:clip_low", "0.005102040711790323"},
            {"1:entropy", "0.0932254046201706"},
            {"1:grad_norm", "0.44092241302132607"},
            {"1:kl", "-0.004897845537925605"},
            {"1:length_clipped_fraction", "0"},
            {"1:length_max", "13"},
            {"1:length_mean", "12.5"},
            {"1:lr", "0.0003"},
            {"1:policy_loss", "0.0010047629475593567"},
            {"1:reward/terminal", "0.875"},
            {"1:reward_mean", "0.875"},
            {"1:reward_std", "0.33071891388307384"},
            {"1:step_verified_accuracy", "0.875"},
            {"1:tokens", "200"},
            {"1:updates", "4"},
            {"1:value_loss", "0.20234080776572227"},
            {"1:zero_std_groups", "0.5"},
        });

    [Fact]
    public void DapoGivesThePinnedNumbers() => AssertPinned(
        new DapoOptions { PromptsPerStep = 4, GroupSize = 4, LearningRate = 3e-4, WarmupSteps = 0 },
        "38A0B1D9626FCD8C02C40F0E9D4E9416D2CACFA98ADAB65CCF556A9B09EBF895", new()
        {
            {"0:answer_accuracy", "0.75"},
            {"0:clip_high", "0"},
            {"0:clip_low", "0"},
            {"0:dynamic_dropped_fraction", "0.5"},
            {"0:dynamic_kept_groups", "4"},
            {"0:dynamic_rounds", "2"},
            {"0:entropy", "0.1351976841688156"},
            {"0:grad_norm", "1.729906678199768"},
            {"0:length_clipped_fraction", "0"},
            {"0:length_max", "13"},
            {"0:length_mean", "11.5"},
            {"0:lr", "0.0003"},
            {"0:overlong_penalty_mean", "0"},
            {"0:policy_loss", "3.8872595808925325E-08"},
            {"0:reward/terminal", "0.75"},
            {"0:reward_mean", "0.75"},
            {"0:reward_std", "0.4330127018922193"},
            {"0:step_verified_accuracy", "0.75"},
            {"0:tokens", "184"},
            {"0:updates", "1"},
            {"0:zero_std_groups", "0.5"},
            {"1:answer_accuracy", "0.6875"},
            {"1:clip_high", "0"},
            {"1:clip_low", "0"},
            {"1:dynamic_dropped_fraction", "0.5"},
            {"1:dynamic_kept_groups", "4"},
            {"1:dynamic_rounds", "2"},
            {"1:entropy", "0.11614729464054108"},
            {"1:grad_norm", "1.2356700897216797"},
            {"1:length_clipped_fraction", "0"},
            {"1:length_max", "13"},
            {"1:length_mean", "11.875"},
            {"1:lr", "0.0003"},
            {"1:overlong_penalty_mean", "0"},
            {"1:policy_loss", "-0.008747708983719349"},
            {"1:reward/terminal", "0.6875"},
            {"1:reward_mean", "0.6875"},
            {"1:reward_std", "0.46351240544347894"},
            {"1:step_verified_accuracy", "0.6875"},
            {"1:tokens", "198"},
            {"1:updates", "1"},
            {"1:zero_std_groups", "0.25"},
        });

    [Fact]
    public void GrpoWithTheRlooAdvantageAndTokenMeanIsTheRlooPreset()
    {
        var mixed = Run(new GrpoOptions { PromptsPerStep = 4, GroupSize = 4, WarmupSteps = 0, Advantage = "rloo", LossAggregation = "token-mean" });
        var preset = Run(new RlooOptions { PromptsPerStep = 4, GroupSize = 4, WarmupSteps = 0 });
        Assert.Equal(preset.Weights, mixed.Weights);
        Assert.Equal(preset.Metrics, mixed.Metrics);
    }

    [Theory]
    [InlineData("gspo")]
    [InlineData("reinforce-pp")]
    public void TheNewPresetsTrain(string preset)
    {
        var (weights, metrics) = preset == "gspo"
            ? Run(new GspoOptions { PromptsPerStep = 4, GroupSize = 4, WarmupSteps = 0 })
            : Run(new ReinforcePlusPlusOptions { PromptsPerStep = 4, GroupSize = 4, WarmupSteps = 0, KlCoefficient = 0.05 });
        using var policy = world.Policy();
        Assert.NotEqual(WeightsHash(policy), weights);                                      // the policy moved
        Assert.All(metrics.Where(m => m.Key.EndsWith("policy_loss") || m.Key.EndsWith(":kl")), m => Assert.True(double.IsFinite(double.Parse(m.Value))));
        Assert.Equal(preset == "reinforce-pp", metrics.ContainsKey("1:kl"));
    }

    private void AssertPinned<TOptions>(TOptions options, string weights, Dictionary<string, string> metrics) where TOptions : PolicyOptimizationOptions
    {
        var (hash, seen) = Run(options);
        output.WriteLine($"weights {hash}; {string.Join(", ", seen.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} = {p.Value}"))}");
        Assert.Equal(metrics, seen);
        Assert.Equal(weights, hash);
    }

    // Two steps from the base: the weights' hash, and every metric but the timings, exactly (round-trip strings).
    private (string Weights, Dictionary<string, string> Metrics) Run<TOptions>(TOptions options) where TOptions : PolicyOptimizationOptions
    {
        using var policy = world.Policy();
        var context = world.Context(policy, totalSteps: 2, "terminal");
        using var session = new PolicyGradientAlgorithm<TOptions>(Options.Create(options), Parts.Services).Begin(context);
        var seen = new Dictionary<string, string>();
        for (int step = 0; step < 2; step++)
        {
            using var scope = NewDisposeScope();
            foreach (var (name, value) in session.Step().Where(m => !m.Key.StartsWith("time_") && m.Key is not ("step_time_s" or "tokens_per_s")))
                seen[$"{step}:{name}"] = value.ToString("R");
        }
        return (WeightsHash(policy), seen);
    }

    // SHA-256 of every parameter's bytes in order: equal only when the weights are bit-identical.
    private static string WeightsHash(Rlvr.Models.ICausalLanguageModel policy)
    {
        using var sha = SHA256.Create();
        foreach (var p in policy.Module.parameters())
        {
            var bytes = p.detach().cpu().contiguous().bytes.ToArray();
            sha.TransformBlock(bytes, 0, bytes.Length, null, 0);
        }
        sha.TransformFinalBlock([], 0, 0);
        return Convert.ToHexString(sha.Hash!);
    }
}
