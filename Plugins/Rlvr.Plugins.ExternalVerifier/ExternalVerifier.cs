// "external": a verifier in any language. One program, started with the run and reused for every sample, answers
// one JSON line per completion (VerifierProtocol.cs). A timeout, an exit or a malformed reply scores the sample as
// malformed output (Verification.Wrong), is logged, and restarts the program for the next sample: the run goes on.
// Samples are sent one at a time, so the program needs no concurrency; the host disposes the verifier with the run,
// which stops the program.
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Rlvr.Tasks;

namespace Rlvr.Plugins.ExternalVerifier;

internal sealed class ExternalVerifier : IVerifier, IDisposable
{
    private const int LoggedReplyLength = 200;
    private readonly Lock _gate = new();
    private readonly ExternalVerifierOptions _options;
    private readonly ILogger _logger;
    private VerifierProcess? _process;
    private long _lastId;                                // request ids rise across restarts and are never reused
    private bool _disposed;

    /// <exception cref="InvalidOperationException">No <c>Command</c> is set, or the program cannot be started.</exception>
    public ExternalVerifier(IOptions<ExternalVerifierOptions> options, IEnumerable<OptionsSection> sections, ILogger<ExternalVerifier>? logger = null)
    {
        _options = options.Value;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        string section = sections.Single(s => s.OptionsType == typeof(ExternalVerifierOptions)).Section;
        if (string.IsNullOrEmpty(_options.Command))
            throw new InvalidOperationException($"{section}:Command is not set: name the program that verifies, e.g. \"python3\" with {section}:Arguments [\"verifier.py\"].");
        try
        {
            _process = Start();                          // with the run, so a program that cannot start stops it before any compute
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new InvalidOperationException($"{section}:Command = '{_options.Command}' could not be started: {e.Message}", e);
        }
    }

    public Verification Verify(Problem problem, string completion)
    {
        ArgumentNullException.ThrowIfNull(problem);
        completion ??= "";
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            long id = ++_lastId;
            string? reply;
            try
            {
                _process ??= Start();
                reply = _process.Exchange(VerifierProtocol.Request(id, problem, completion), TimeSpan.FromMilliseconds(_options.TimeoutMs));
            }
            catch (TimeoutException)
            {
                return Fail(problem, $"did not reply within {_options.TimeoutMs} ms");
            }
            catch (Exception e)
            {
                return Fail(problem, $"failed ({e.GetType().Name}: {e.Message})");
            }
            if (reply is null) return Fail(problem, _process.Ending());
            return VerifierProtocol.TryParse(reply, id, completion, out var verification, out string error)
                ? verification
                : Fail(problem, $"replied {Shorten(reply)}: {error}");
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _process?.Dispose();
            _process = null;
        }
    }

    private VerifierProcess Start() => VerifierProcess.Start(_options.Command!, _options.Arguments, _logger);

    // The program may be hung or out of step with the requests: kill it, so that whatever it writes later is never read.
    private Verification Fail(Problem problem, string why)
    {
        _logger.LogWarning("The external verifier {Command} {Why} on problem {ProblemId}; the sample scores as malformed and the program restarts",
            _options.Command, why, problem.Id);
        _process?.Kill();
        _process = null;
        return Verification.Wrong;
    }

    private static string Shorten(string reply) => reply.Length <= LoggedReplyLength ? $"'{reply}'" : $"'{reply[..LoggedReplyLength]}...' ({reply.Length} characters)";
}
