using System.ComponentModel.DataAnnotations;
using Rlvr.Training;

namespace Rlvr.Host.Runs;

/// <summary>Where and how a run executes: the <c>Run</c> section.</summary>
public sealed class RunOptions
{
    public const string Section = "Run";

    [FolderName] public string Name { get; set; } = "study";                    // the study's name: runs/<Name>/...
    [BaseName] public string Base { get; set; } = "";             // of a study with Bases, the one this is: runs/<Name>/<Base>/...; "": none
    [Range(0, int.MaxValue)] public int Seed { get; set; } = 1;   // seeds data, initialisation and sampling
    [Range(0, int.MaxValue)] public int? RlSeed { get; set; }     // an arm run's RL seed under base seed Seed (one of RlSeeds); null: none
    [AllowedValues("auto", "cpu", "cuda")] public string Device { get; set; } = "auto";   // auto: cuda when available
    [Range(0, 1024)] public int Threads { get; set; }             // intra-op threads; 0 = the cores shared among Parallel workers
    [Range(1, 64)] public int Parallel { get; set; } = 1;         // tasks (seed x RL seed x arm) at once, each in a worker process of its own
    [Required] public string RunRoot { get; set; } = "runs";      // relative to the working directory
    public bool Reuse { get; set; } = true;                         // keep finished stages (base, arms) whose configuration is unchanged

    /// <summary>
    /// The seed of an arm's own randomness (rollout sampling, problem draws, evaluation sampling): <see cref="Seed"/>
    /// without an RL seed, so a study without RlSeeds computes what it always did; with one, a mix of both, so every
    /// (base seed, RL seed) draws its own stream.
    /// </summary>
    public int ArmSeed => RlSeed is int rl ? (int)(SeedStream.Mix(Seed, rl) & int.MaxValue) : Seed;

    // Run:Name becomes the study's folder under RunRoot: one plain path segment, not one of the run root's own files.
    private sealed class FolderNameAttribute : ValidationAttribute
    {
        protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
            RunPaths.Unusable(value as string ?? "", RunPaths.RunRootEntries) is { } why ? new ValidationResult(why) : ValidationResult.Success;
    }

    // Run:Base becomes a folder in the study's folder, beside the study's own files.
    private sealed class BaseNameAttribute : ValidationAttribute
    {
        protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
            value is string { Length: > 0 } name && RunPaths.Unusable(name, RunPaths.StudyFolderEntries) is { } why ? new ValidationResult(why) : ValidationResult.Success;
    }
}
