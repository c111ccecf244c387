// Each run keeps its own log: every line a runner writes goes to the study's logger (console and study log) and to
// <run folder>/logs/, as JSON lines like the study log, so a run folder holds everything about its run.
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Extensions.Logging;
using Serilog.Formatting.Json;

namespace Rlvr.Host.Logging;

/// <summary>A logger that writes to the study's logger and to the run folder's own log file.</summary>
public sealed class RunLog : Microsoft.Extensions.Logging.ILogger, IDisposable
{
    private readonly Microsoft.Extensions.Logging.ILogger _study;
    private readonly SerilogLoggerFactory _files;
    private readonly Microsoft.Extensions.Logging.ILogger _file;

    public RunLog(string runFolder, Microsoft.Extensions.Logging.ILogger study)
    {
        _study = study;
        var file = new LoggerConfiguration().MinimumLevel.Information()
            .WriteTo.File(new JsonFormatter(renderMessage: true, formatProvider: System.Globalization.CultureInfo.InvariantCulture),
                Path.Combine(runFolder, RlvrLogging.Folder, RlvrLogging.FileName), rollingInterval: RollingInterval.Day)
            .CreateLogger();
        _files = new SerilogLoggerFactory(file, dispose: true);
        _file = _files.CreateLogger("run");
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => new Scopes(_study.BeginScope(state), _file.BeginScope(state));

    public bool IsEnabled(LogLevel logLevel) => _study.IsEnabled(logLevel) || _file.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        _study.Log(logLevel, eventId, state, exception, formatter);
        _file.Log(logLevel, eventId, state, exception, formatter);
    }

    public void Dispose() => _files.Dispose();

    private sealed class Scopes(IDisposable? a, IDisposable? b) : IDisposable
    {
        public void Dispose()
        {
            a?.Dispose();
            b?.Dispose();
        }
    }
}
