namespace Rlvr.Tasks;

/// <summary>One problem of a task: the prompt the model sees, a clean worked solution and the final answer.</summary>
/// <param name="Id">A stable identifier derived from the problem's content; equal problems have equal ids.</param>
/// <param name="Prompt">The text the model is conditioned on.</param>
/// <param name="Solution">The clean worked solution, one step a line, ending with the answer: the completion a perfect model writes.</param>
/// <param name="Answer">The final answer the verifier checks.</param>
/// <param name="Difficulty">The difficulty the problem was generated at.</param>
public sealed record Problem(string Id, string Prompt, string Solution, string Answer, int Difficulty);
