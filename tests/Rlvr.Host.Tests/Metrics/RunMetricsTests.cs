using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Rlvr.Host.Configuration;
using Rlvr.Host.Metrics;
using Rlvr.Host.Plugins;
using Rlvr.Host.Runs;
using Rlvr.Metrics;

namespace Rlvr.Host.Tests.Metrics;

// A plugin's sink is opened the way the host's own are: by its factory, on the run's folder, with the run's kept records.
public sealed class RunMetricsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("rlvr-metrics-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void APluginSinkIsOpenedPerRunAfterTheHostsOwnAndEachNameOnce()
    {
        // A resumed run: metrics.jsonl already holds step 1, which the lifecycle kept.
        string jsonl = Path.Combine(_folder, RunPaths.MetricsFile);
        using (var before = new JsonlMetricsSink(jsonl)) before.Emit(Record(1, 2.5));
        var run = new MetricsRun(_folder, "study", "grpo", 1, 2, [.. JsonlMetricsSink.Read(jsonl)]);

        CsvSink csv;
        using (var metrics = RunMetrics.Open(Catalog(), ["csv", "jsonl"], run))
        {
            Assert.Equal([typeof(JsonlMetricsSink), typeof(TensorBoardMetricsSink), typeof(CsvSink)], metrics.Sinks.Select(s => s.GetType()));
            foreach (var sink in metrics.Sinks) sink.Emit(Record(2, 1.5));
            csv = (CsvSink)metrics.Sinks[2];
            Assert.False(csv.Disposed);
        }

        Assert.True(csv.Disposed);
        Assert.Equal(run, csv.Run);
        Assert.Equal(["pretrain,1,2.5", "pretrain,2,1.5"], File.ReadAllLines(Path.Combine(_folder, CsvSink.File)));   // kept, then new: each step once
        Assert.Equal([1L, 2L], JsonlMetricsSink.Read(jsonl).Select(r => r.Step));                                    // jsonl listed twice, written once
        Assert.Single(Directory.GetFiles(Path.Combine(_folder, TensorBoardMetricsSink.Folder), "events.out.tfevents*"));
    }

    [Fact]
    public void AnUnknownSinkNamesTheKnownOnes()
    {
        var run = new MetricsRun(_folder, "study", RunPaths.BaseArm, 1, null, []);
        var e = Assert.Throws<ConfigurationErrorsException>(() => RunMetrics.Open(Catalog(), ["parquet"], run));
        Assert.Contains("no metrics sink is registered as 'parquet'; known: csv, jsonl, tensorboard", e.Message);
    }

    private static ComponentCatalog Catalog()
    {
        var services = new ServiceCollection().AddHostMetricsSinks().AddMetricsSink<CsvSinkFactory>("csv").BuildServiceProvider();
        return new ComponentCatalog(services.GetServices<ComponentDescriptor>(), services);
    }

    private static MetricsRecord Record(long step, double loss) =>
        new("pretrain", step, new Dictionary<string, double> { ["loss"] = loss }, DateTimeOffset.FromUnixTimeSeconds(1_700_000_000 + step));

    private sealed class CsvSinkFactory : IMetricsSinkFactory
    {
        public IMetricsSink Create(MetricsRun run) => new CsvSink(run);
    }

    // stage,step,loss a line, rewritten from the kept records when opened.
    private sealed class CsvSink : IMetricsSink, IDisposable
    {
        public const string File = "metrics.csv";
        private readonly StreamWriter _writer;

        public CsvSink(MetricsRun run)
        {
            Run = run;
            _writer = new StreamWriter(Path.Combine(run.Folder, File), append: false);
            foreach (var record in run.Kept) Emit(record);
        }

        public MetricsRun Run { get; }

        public bool Disposed { get; private set; }

        public void Emit(MetricsRecord record) =>
            _writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{record.Stage},{record.Step},{record.Values["loss"]}"));

        public void Dispose()
        {
            _writer.Dispose();
            Disposed = true;
        }
    }
}
