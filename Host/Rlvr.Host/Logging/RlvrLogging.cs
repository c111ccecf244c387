// Serilog for every verb: human-readable lines on standard error (standard output stays for results), a rolling
// JSON-lines file in the run folder when there is one (every property kept, for querying), and whatever the
// Serilog section adds (levels, overrides, sinks).
using Microsoft.Extensions.Configuration;
using Serilog;
using Serilog.Configuration;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Json;
using Serilog.Settings.Configuration;

namespace Rlvr.Host.Logging;

/// <summary>Creates the process's Serilog logger from configuration.</summary>
public static class RlvrLogging
{
    private const string ConsoleTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}";

    /// <summary>The log file's name pattern inside a run folder; Serilog inserts the date before the extension.</summary>
    public const string FileName = "rlvr-.log";

    /// <summary>The folder of a run's or study's log files.</summary>
    public const string Folder = "logs";

    /// <summary>Creates a logger configured by the <c>Serilog</c> section, writing to the console and, when given, to <paramref name="runFolder"/>.</summary>
    /// <param name="consoleLevel">Raises the console's minimum level at run time (while a progress display owns the terminal); the file keeps everything.</param>
    public static Serilog.Core.Logger CreateLogger(IConfiguration configuration, string? runFolder = null, LoggingLevelSwitch? consoleLevel = null)
    {
        var logger = new LoggerConfiguration()
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .Enrich.FromLogContext();
        logger.WriteTo.Sink(LoggerSinkConfiguration.Wrap(console => new UserErrorsAsMessages(console), to => to.Console(outputTemplate: ConsoleTemplate,
            standardErrorFromLevel: LogEventLevel.Verbose, formatProvider: System.Globalization.CultureInfo.InvariantCulture, levelSwitch: consoleLevel)));
        if (runFolder is not null)
            logger.WriteTo.File(new JsonFormatter(renderMessage: true, formatProvider: System.Globalization.CultureInfo.InvariantCulture),
                Path.Combine(runFolder, Folder, FileName), rollingInterval: RollingInterval.Day, shared: true);   // worker processes and array tasks write it too

        // Only the sinks this assembly ships are searched, so no assembly scan happens at start-up.
        var readerOptions = new ConfigurationReaderOptions(typeof(ConsoleLoggerConfigurationExtensions).Assembly, typeof(FileLoggerConfigurationExtensions).Assembly);
        return logger.ReadFrom.Configuration(configuration, readerOptions).CreateLogger();
    }
}

/// <summary>
/// The errors a user makes and fixes, rather than a defect of the program: a configuration error, and a loss or reward
/// that is not finite (whose message gives the advice). They are shown as their message alone; the trace stays in the log files.
/// </summary>
public static class UserErrors
{
    // ArithmeticException itself, as the trainers throw it; its subclasses (an overflow, a division by zero) are defects.
    public static bool Are(Exception e) => e is Configuration.ConfigurationErrorsException || e.GetType() == typeof(ArithmeticException);
}

// Passes every event on to the console, with a user error's exception shown as its message only (no stack trace).
internal sealed class UserErrorsAsMessages(ILogEventSink console) : ILogEventSink, IDisposable
{
    public void Emit(LogEvent e) => console.Emit(e.Exception is { } error && UserErrors.Are(error)
        ? new LogEvent(e.Timestamp, e.Level, new MessageOnly(error), e.MessageTemplate, e.Properties.Select(p => new LogEventProperty(p.Key, p.Value)))
        : e);

    public void Dispose() => (console as IDisposable)?.Dispose();

    private sealed class MessageOnly(Exception error) : Exception(error.Message)
    {
        public override string ToString() => Message;
    }
}
