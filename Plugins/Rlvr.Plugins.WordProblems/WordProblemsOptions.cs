// Options of the "word-problems" task, bound from "Tasks:WordProblems". File checks live in AddWordProblems; the
// train file is required only once the task is used, since every plugin's options are validated whichever task a run selects.
using System.ComponentModel.DataAnnotations;

namespace Rlvr.Plugins.WordProblems;

public sealed class WordProblemsOptions
{
    public const string Section = "Tasks:WordProblems";
    public const string Refuse = "refuse";
    public const string Skip = "skip";
    public const string QuestionField = "{question}";

    public string? TrainFile { get; set; }            // JSONL the training stream draws from
    public string? HeldOutFile { get; set; }          // JSONL evaluated on, in file order; unset: the host draws held-out problems from TrainFile

    [Required]
    public string PromptTemplate { get; set; } = "Question: {question}\nAnswer:";   // {question} is replaced by the line's question

    [AllowedValues(Refuse, Skip, ErrorMessage = "Malformed must be \"refuse\" or \"skip\".")]
    public string Malformed { get; set; } = Refuse;  // refuse: a malformed line stops the run; skip: it is logged with its line number and left out
}
