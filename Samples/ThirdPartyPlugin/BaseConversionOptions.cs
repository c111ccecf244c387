// Options of the "base-conversion" task, bound from "Tasks:BaseConversion". Single-field ranges are data annotations;
// the rules that tie fields together are in AddBaseConversion. rlvr reports a failure with the full key, e.g.
// "Tasks:BaseConversion:MaxBase = '12': The field MaxBase must be between 2 and 9."
using System.ComponentModel.DataAnnotations;

namespace Contoso.Rlvr.BaseConversion;

public sealed class BaseConversionOptions
{
    /// <summary>The section these options are read from, unless AddBaseConversion is given another.</summary>
    public const string Section = "Tasks:BaseConversion";

    /// <summary>The largest number a problem may ask about: every number fits 9 digits, which is all the verifier reads.</summary>
    public const long MaxNumber = 999_999_999;

    [Range(1, 30)]
    public int MinDifficulty { get; set; } = 2;     // the fewest digits of the answer, which is also the number of steps; bases 2..9
                                                    // give 240 distinct problems of 2 digits, enough for 200 held-out ones

    [Range(1, 30)]
    public int MaxDifficulty { get; set; } = 5;     // the most digits; with bases up to 9 a problem and its solution take at most
                                                    // 72 tokens at 5 digits and 91 at 6 (BOS and EOS included): a 96-token context holds both

    [Range(2, 9)]
    public int MinBase { get; set; } = 2;           // each problem converts to a base drawn uniformly from MinBase..MaxBase

    [Range(2, 9)]
    public int MaxBase { get; set; } = 9;           // at most 9, so that every digit is one character
}
