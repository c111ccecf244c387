// Options of the "external" verifier, bound from "Verifiers:External". ProgramValidator checks that Command names a
// program; ExternalVerifier refuses to start without one (an unselected verifier needs none).
using System.ComponentModel.DataAnnotations;

namespace Rlvr.Plugins.ExternalVerifier;

/// <summary>The program that verifies completions, and how long it may take per reply.</summary>
public sealed class ExternalVerifierOptions
{
    public string? Command { get; set; }                             // a program on PATH ("python3") or a path, relative to the working directory
    public List<string> Arguments { get; set; } = [];                // passed as they are, no shell: ["verifier.py"]
    [Range(1, 3_600_000)] public int TimeoutMs { get; set; } = 10_000;   // per reply; past it the sample scores wrong and the program restarts
}
