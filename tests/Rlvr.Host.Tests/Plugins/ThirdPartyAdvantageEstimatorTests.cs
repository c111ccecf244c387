// docs/plugin-authoring.md's recipe for a part of the policy-gradient objective, on Samples/MedianBaselinePlugin: built
// outside the solution against Rlvr.Abstractions.dll, loaded from its DLL, checked against its formula by hand, and
// named by a GRPO arm of a tiny study with one configuration key.
using Microsoft.Extensions.DependencyInjection;
using Rlvr.Host.Plugins;
using Rlvr.Host.Studies;
using Rlvr.Host.Tests.Support;
using Rlvr.Objectives;
using static TorchSharp.torch;

namespace Rlvr.Host.Tests.Plugins;

[Collection(ExternalPluginsCollection.Name)]
public sealed class ThirdPartyAdvantageEstimatorTests(ExternalPluginsFixture external) : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("rlvr-median-baseline-").FullName;

    [Fact]
    public void TheSampleEstimatorLoadsFromItsDllBesideTheBuiltInOnesAndFollowsItsFormula()
    {
        var builder = RlvrHostBuilder.Create(new RlvrHostSettings { PluginFolders = [external.MedianBaseline] });
        Assert.Contains(builder.Plugins.Loaded, p => p.Name == "MedianBaselinePlugin");
        using var host = builder.Build();
        var catalog = host.Services.GetRequiredService<ComponentCatalog>();
        Assert.Equal(["gae", "grpo", "grpo-process", "median-baseline", "passk", "reinforce-pp", "rloo"], catalog.Names(ComponentKind.AdvantageEstimator));

        // Group 1 rewards 1, 0, 0, 1: sorted 0, 0, 1, 1, the lower middle one 0, so A = 1, 0, 0, 1.
        // Group 2 rewards 1, 1, 1, 0: sorted 0, 1, 1, 1, median 1, so A = 0, 0, 0, −1. Column 0 (the prompt) is off the mask.
        var mask = ones(8, 3).index_fill_(1, tensor(new long[] { 0 }), 0);
        var inputs = new AdvantageInputs(tensor(new float[] { 1, 0, 0, 1, 1, 1, 1, 0 }), zeros(8, 3), mask, 4,
            [.. Enumerable.Repeat<IReadOnlyList<Rlvr.Training.TokenReward>>([], 8)], null, new ObjectiveSettings());
        var advantages = catalog.Get<IAdvantageEstimator>("median-baseline").Estimate(inputs).Advantages;
        float[] perRow = [1, 0, 0, 1, 0, 0, 0, -1];
        Assert.Equal([.. perRow.SelectMany(a => new[] { 0f, a, a })], advantages.data<float>().ToArray());
    }

    [Fact]
    public void AGrpoArmTrainsWithTheSampleEstimatorNamedByOneKey()
    {
        string[] overrides = TinyStudy.WithGrpoArm(_root, "--Train:Steps=2", "--Algorithms:Grpo:Advantage=median-baseline");
        var builder = RlvrHostBuilder.Create(new RlvrHostSettings { Overrides = overrides, PluginFolders = [external.MedianBaseline], LogToStudyFolder = true });
        using (var host = builder.Build())
        {
            var seed = new StudyRunner(builder).Run(host).Seeds.Single();
            Assert.Equal(2, TinyStudy.TrainMetrics(seed.Arms.Single(a => a.Arm == "grpo").RunFolder).Count);
        }

        // Without the plugin the name is unknown: the error names the key and the estimators there are.
        var error = Assert.ThrowsAny<Exception>(() => TinyStudy.Run(overrides));
        Assert.Contains("Algorithms:Grpo:Advantage = 'median-baseline': no advantage estimator is registered by that name; known: gae, grpo,", error.Message);
    }

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); }
        catch (IOException) { }
    }
}
