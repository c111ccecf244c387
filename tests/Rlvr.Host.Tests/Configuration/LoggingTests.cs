using Microsoft.Extensions.Configuration;
using Rlvr.Host.Configuration;
using Rlvr.Host.Logging;

namespace Rlvr.Host.Tests.Configuration;

public sealed class LoggingTests
{
    [Fact]
    public void AUserErrorShowsOnTheConsoleAsItsMessageAndInTheFileWithItsTrace()
    {
        string run = Directory.CreateTempSubdirectory("rlvr-run-").FullName;
        var console = new StringWriter();
        var standardError = Console.Error;
        Console.SetError(console);
        try
        {
            using (var logger = RlvrLogging.CreateLogger(new ConfigurationBuilder().Build(), run))
            {
                logger.Error(Thrown(new ArithmeticException("The policy-gradient loss is NaN at step 3. Lower the algorithm's LearningRate.")), "Arm {Arm} failed", "grpo");
                logger.Error(Thrown(new ConfigurationErrorsException("Models:Transformer:ContextLength: too short")), "Arm {Arm} failed", "sft");
                logger.Error(Thrown(new InvalidOperationException("a defect")), "Arm {Arm} failed", "ppo");
                logger.Error(Thrown(new OverflowException("another defect")), "Arm {Arm} failed", "dapo");
            }
        }
        finally
        {
            Console.SetError(standardError);
        }

        string[] lines = console.ToString().Split('\n');
        int At(string text) => Array.FindIndex(lines, l => l.Contains(text, StringComparison.Ordinal));
        Assert.Equal("The policy-gradient loss is NaN at step 3. Lower the algorithm's LearningRate.", lines[At("Arm grpo failed") + 1].TrimEnd());
        Assert.Equal("Models:Transformer:ContextLength: too short", lines[At("Arm sft failed") + 1].TrimEnd());
        // Only the defects keep their traces on the console; the file keeps every trace.
        Assert.Equal(2, lines.Count(l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal) && l.Contains(nameof(Thrown), StringComparison.Ordinal)));
        Assert.Contains("System.InvalidOperationException: a defect", console.ToString());
        Assert.Contains("System.OverflowException: another defect", console.ToString());
        string file = File.ReadAllText(Assert.Single(Directory.GetFiles(Path.Combine(run, "logs"), "rlvr-*.log")));
        Assert.Contains("System.ArithmeticException: The policy-gradient loss is NaN", file);
        Assert.Equal(4, file.Split(nameof(Thrown)).Length - 1);
        Directory.Delete(run, recursive: true);
    }

    // The exception as thrown, with a stack trace.
    private static Exception Thrown(Exception e)
    {
        try { throw e; }
        catch (Exception caught) { return caught; }
    }

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
