namespace Rlvr.Tokenizers;

/// <summary>Builds a task's tokenizer.</summary>
/// <remarks>
/// A tokenizer is a function of the task's alphabet and the tokenizer's options, both part of a run's model
/// fingerprint, so every run that uses a model builds the very tokenizer it was trained with.
/// </remarks>
public interface ITokenizerFactory
{
    /// <summary>Creates a tokenizer that covers every character of <paramref name="alphabet"/>; the same alphabet always gives the same ids.</summary>
    /// <param name="alphabet">The characters the task's prompts and solutions use.</param>
    ITokenizer Create(string alphabet);
}
