using System.Reflection;
using Rlvr.Host;
using Rlvr.Index;
using Rlvr.Reporting;
using Rlvr.ScaleOut;
using Rlvr.Training;

namespace Rlvr.Host.Tests.Architecture;

/// <summary>
/// The assemblies depend one way: contracts, then the training machinery, then the engine, then the run index, the
/// reports and scale-out beside each other (docs/architecture.md). Read from the compiled references, so a type used
/// against the direction fails here.
/// </summary>
public sealed class AssemblyDirectionTests
{
    private const string Abstractions = "Rlvr.Abstractions", Training = "Rlvr.Training", Engine = "Rlvr.Host";

    public static TheoryData<string, string[], string[]> Layers => new()
    {
        // assembly, the Rlvr assemblies it may reference, the packages it must not touch
        { Abstractions, [], ["Microsoft.Data.Sqlite", "ScottPlot", "SkiaSharp", "Serilog", "McMaster.NETCore.Plugins"] },
        { Training, [Abstractions], ["Microsoft.Data.Sqlite", "ScottPlot", "SkiaSharp", "Serilog", "McMaster.NETCore.Plugins"] },
        { Engine, [Abstractions, Training], ["Microsoft.Data.Sqlite", "ScottPlot", "SkiaSharp"] },
        { "Rlvr.Index", [Abstractions, Training, Engine], ["ScottPlot", "SkiaSharp"] },
        { "Rlvr.Reporting", [Abstractions, Training, Engine], ["Microsoft.Data.Sqlite"] },
        { "Rlvr.ScaleOut", [Abstractions, Training, Engine], ["Microsoft.Data.Sqlite", "ScottPlot", "SkiaSharp"] },
    };

    [Theory]
    [MemberData(nameof(Layers))]
    public void AnAssemblyReferencesOnlyTheLayersBelowIt(string assembly, string[] below, string[] forbidden)
    {
        var references = s_assemblies[assembly].GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.DoesNotContain(references, r => r.StartsWith("Rlvr.", StringComparison.Ordinal) && !below.Contains(r));
        Assert.DoesNotContain(references, r => forbidden.Any(f => r.StartsWith(f, StringComparison.Ordinal)));
    }

    [Fact]
    public void TheEngineReadsTheMachineryAndTheToolsAboveItReadTheEngine()
    {
        // The positive half: the references above are real, not vacuous.
        Assert.Contains(Training, s_assemblies[Engine].GetReferencedAssemblies().Select(a => a.Name));
        Assert.Contains("Microsoft.Data.Sqlite", s_assemblies["Rlvr.Index"].GetReferencedAssemblies().Select(a => a.Name));
        Assert.Contains("ScottPlot", s_assemblies["Rlvr.Reporting"].GetReferencedAssemblies().Select(a => a.Name));
        foreach (string above in new[] { "Rlvr.Index", "Rlvr.Reporting", "Rlvr.ScaleOut" })
            Assert.Contains(Engine, s_assemblies[above].GetReferencedAssemblies().Select(a => a.Name));
    }

    private static readonly Dictionary<string, Assembly> s_assemblies = new[]
    {
        typeof(IRlvrPlugin).Assembly, typeof(TokenBatch).Assembly, typeof(RlvrHostBuilder).Assembly,
        typeof(RunIndex).Assembly, typeof(StudyReport).Assembly, typeof(SlurmArray).Assembly,
    }.ToDictionary(a => a.GetName().Name!);
}
