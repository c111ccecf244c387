using Microsoft.Extensions.Configuration;
using Rlvr.Host.Logging;

namespace Rlvr.Host.Tests.Configuration;

public sealed class LoggingTests
{
    [Fact]
    public void LogGoesToARollingJsonFileInTheRunFolderWithStructuredProperties()
    {
        string run = Directory.CreateTempSubdirectory("rlvr-run-").FullName;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Serilog:MinimumLevel:Default"] = "Debug",
        }).Build();

        using (var logger = RlvrLogging.CreateLogger(configuration, run))
            logger.Debug("Step {Step} loss {Loss}", 7, 1.25);

        string file = Assert.Single(Directory.GetFiles(Path.Combine(run, "logs"), "rlvr-*.log"));
        string text = File.ReadAllText(file);
        Assert.Contains("\"Level\":\"Debug\"", text);
        Assert.Contains("\"RenderedMessage\":\"Step 7 loss 1.25\"", text);
        Assert.Contains("\"Properties\":{\"Step\":7,\"Loss\":1.25}", text);
        Directory.Delete(run, recursive: true);
    }
}
