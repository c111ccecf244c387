// Options of the "arithmetic" task, bound from "Tasks:Arithmetic". Cross-field rules live in AddArithmetic.
// Defaults: the set-up that worked at 0.8M parameters and a 96-character context (docs EXPERIMENTS.md).
using System.ComponentModel.DataAnnotations;

namespace Rlvr.Plugins.Arithmetic;

public sealed class ArithmeticOptions
{
    public const string ChainSum = "chain-sum";
    public const string DependencyGraph = "dependency-graph";

    [Required]
    [AllowedValues(ChainSum, DependencyGraph, ErrorMessage = "Generator must be \"chain-sum\" or \"dependency-graph\".")]
    public string Generator { get; set; } = ChainSum;   // chain-sum: a+b+c= (Reasoning Gym); dependency-graph: iGSM, arXiv:2407.20311

    [Range(1, 20)]
    public int MinDifficulty { get; set; } = 2;          // easiest problem: terms (chain-sum, >= 2) or operations (dependency-graph)

    [Range(1, 20)]
    public int MaxDifficulty { get; set; } = 6;          // hardest problem; a 96-character context holds 6 chain-sum terms, 5 graph operations

    [Range(2, 999)]
    public int MaxOperand { get; set; } = 50;            // chain-sum: largest term (1..50 worked, 1..99 did not); graph: largest value of a variable

    [Range(1, 99)]
    public int MaxConstant { get; set; } = 9;            // dependency-graph: largest literal in a definition; one digit keeps prompts short

    public bool Shuffle { get; set; } = true;            // dependency-graph: definitions in random order as in iGSM; false lists them in computing order

    public bool ToolCalls { get; set; }                  // worked solutions call the calculator for every step ("1:<47+1=48>"), so their steps are never wrong: StepError has no effect
}
