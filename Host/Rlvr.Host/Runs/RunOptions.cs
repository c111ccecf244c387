using System.ComponentModel.DataAnnotations;

namespace Rlvr.Host.Runs;

/// <summary>Where and how a run executes: the <c>Run</c> section.</summary>
public sealed class RunOptions
{
    public const string Section = "Run";

    [FolderName] public string Name { get; set; } = "study";                    // the study's name: runs/<Name>/...
    [Range(0, int.MaxValue)] public int Seed { get; set; } = 1;   // seeds data, initialisation and sampling
    [AllowedValues("auto", "cpu", "cuda")] public string Device { get; set; } = "auto";   // auto: cuda when available
    [Range(0, 1024)] public int Threads { get; set; }             // intra-op threads; 0 = the cores shared among Parallel workers
    [Range(1, 64)] public int Parallel { get; set; } = 1;         // tasks (seed x arm) at once, each in a worker process of its own
    [Required] public string RunRoot { get; set; } = "runs";      // relative to the working directory
    public bool Reuse { get; set; } = true;                         // keep finished stages (base, arms) whose configuration is unchanged

    // Run:Name becomes the study's folder under RunRoot: one plain path segment, not one of the run root's own files.
    private sealed class FolderNameAttribute : ValidationAttribute
    {
        protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
            RunPaths.Unusable(value as string ?? "", RunPaths.RunRootEntries) is { } why ? new ValidationResult(why) : ValidationResult.Success;
    }
}
