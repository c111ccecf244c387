namespace Rlvr.Tokenizers;

/// <summary>Builds a tokenizer for a task, or loads one saved beside a model.</summary>
public interface ITokenizerFactory
{
    /// <summary>Creates a tokenizer that covers every character of <paramref name="alphabet"/>.</summary>
    /// <param name="alphabet">The characters the task's prompts and solutions use.</param>
    ITokenizer Create(string alphabet);

    /// <summary>Loads a tokenizer written by <see cref="ITokenizer.Save"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a tokenizer of this kind.</exception>
    ITokenizer Load(string path);
}
