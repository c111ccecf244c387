namespace Rlvr.Models;

/// <summary>
/// A model that computes differently on held-out problems than in training: a looped transformer that spends more
/// loops at evaluation than it was trained with, for example. The host enters the mode around every held-out
/// evaluation; a model without one is evaluated as it trains.
/// </summary>
public interface IEvaluationMode
{
    /// <summary>Switches the model to its evaluation computation until the returned scope is disposed.</summary>
    /// <returns>A scope whose disposal restores the computation the model had before.</returns>
    IDisposable BeginEvaluation();
}
