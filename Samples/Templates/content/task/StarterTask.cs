// Multiplication by repeated addition: "12*4=" is solved one addition a line, "12\n24\n36\n48\n#48". The difficulty
// is the number of additions. Replace the format and the arithmetic with your own; keep the rules of
// IProblemGenerator (a pure function of its arguments, stable ids, every character in Alphabet).
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Rlvr.Tasks;

namespace Company.RlvrPlugin;

public sealed class StarterTask(IOptions<StarterOptions> options) : IProblemGenerator
{
    private readonly StarterOptions _options = options.Value;

    public string Alphabet => "\n#*0123456789=";

    public DifficultyRange Difficulties => new(_options.MinDifficulty, _options.MaxDifficulty);

    public Problem Generate(int difficulty, Random random)
    {
        if (!Difficulties.Contains(difficulty))
            throw new ArgumentOutOfRangeException(nameof(difficulty), difficulty, $"The difficulty must lie in {Difficulties}.");
        int addend = random.Next(1, _options.MaxAddend + 1);
        string prompt = string.Create(CultureInfo.InvariantCulture, $"{addend}*{difficulty}=");
        string answer = ((long)addend * difficulty).ToString(CultureInfo.InvariantCulture);
        // Equal prompts, equal ids, in every process: a hash of the content, never string.GetHashCode.
        string id = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(prompt)));
        return new Problem(id, prompt, Write(addend, difficulty, SolutionNoise.None, random), answer, difficulty);
    }

    public string WriteSolution(Problem problem, SolutionNoise noise, Random random)
    {
        if (noise == SolutionNoise.None || !TryReadPrompt(problem.Prompt, out int addend, out int additions))
            return problem.Solution;
        return Write(addend, additions, noise, random);
    }

    /// <summary>Reads "a*n=" into the addend a and the number of additions n.</summary>
    internal static bool TryReadPrompt(string prompt, out int addend, out int additions)
    {
        additions = 0;
        string[] parts = prompt.TrimEnd('=').Split('*');
        return int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out addend)
            && parts.Length == 2 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out additions);
    }

    // A wrong step is off by 1 to 9 from the previous line plus the addend; the later steps add on from the wrong
    // value (honest work after a slip), so a slip makes exactly one wrong step. A solution with a wrong step ends at
    // the right answer with probability RightAnswerAfterError, else at its last line. Clean solutions draw nothing.
    private static string Write(int addend, int additions, SolutionNoise noise, Random random)
    {
        var text = new StringBuilder();
        long total = 0;
        bool slipped = false;
        for (int step = 0; step < additions; step++)
        {
            total += addend;
            if (noise.StepError > 0 && random.NextDouble() < noise.StepError)
            {
                int slip = random.Next(1, 10);
                total += total > slip && random.Next(2) == 0 ? -slip : slip;   // never below 1: '-' is not in the alphabet
                slipped = true;
            }
            text.Append(total.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        long answer = slipped && random.NextDouble() < noise.RightAnswerAfterError ? (long)addend * additions : total;
        return text.Append('#').Append(answer.ToString(CultureInfo.InvariantCulture)).ToString();
    }
}
