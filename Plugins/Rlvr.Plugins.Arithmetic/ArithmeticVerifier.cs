// Verifies completions of arithmetic problems (formats in ChainSumGenerator.cs and DependencyGraphGenerator.cs).
//  - Lines end at '\n'. The answer line is the first line that starts with '#'; text after it is ignored. The answer
//    is right when the rest of that line equals Problem.Answer exactly (no answer line: wrong).
//  - Every line before the answer line is a step, scored 1 or 0. Its span is the line including its '\n', so no step
//    is empty and the steps tile the completion up to the answer line. Unreadable lines are wrong steps.
//  - A step is right when its arithmetic is right and its inputs are right, where a right input is the true value
//    or the value this completion wrote for it before. Honest continuation after a slip and a step that returns to
//    the true value both verify; only the slip itself is wrong (the noise model in Slips.cs matches this).
//      chain-sum, line k (1-based): "k:a+b=c" with b = term k+1, c = a+b, and a = the true sum of the first k
//        terms or the c of line k-1 (line 0's c is the first term).
//      dependency-graph: "x=a op b=c" with x defined in the prompt, op its operator, a and b its operands in order
//        (a literal must be written as itself; a variable's value as above), and c = a op b.
//  - Empty, unreadable or huge text is scored, never thrown on; numbers longer than 9 digits are unreadable.
//  - The calculator's marks '<' and '>' are read past: "1:<47+1=48>" is the step "1:47+1=48".
using Rlvr.Tasks;

namespace Rlvr.Plugins.Arithmetic;

internal sealed class ArithmeticVerifier : IVerifier
{
    public Verification Verify(Problem problem, string completion)
    {
        ArgumentNullException.ThrowIfNull(problem);
        if (string.IsNullOrEmpty(completion)) return Verification.Wrong;

        var lines = ArithmeticText.Lines(completion);
        int answerLine = lines.FindIndex(line => completion[line.Start] == ArithmeticText.AnswerMark);
        var answer = answerLine >= 0 ? ArithmeticText.Text(completion, lines[answerLine])[1..] : default;
        bool answerCorrect = answerLine >= 0 && answer.SequenceEqual(problem.Answer);

        // A prompt of neither kind (not this task's problem) still gets its answer checked; its steps score 0.
        Func<ReadOnlySpan<char>, bool> check =
            ChainSumGenerator.TryParsePrompt(problem.Prompt, out var terms) ? new ChainSumSteps(terms).Check
            : DependencyGraphGenerator.TryParsePrompt(problem.Prompt, out var graph) ? new GraphSteps(graph).Check
            : _ => false;

        var steps = new List<StepVerdict>();
        foreach (var line in answerLine >= 0 ? lines.Take(answerLine) : lines)
            steps.Add(new StepVerdict(line.Start, line.Length, check(CalculatorTool.WithoutMarks(ArithmeticText.Text(completion, line))) ? 1.0 : 0.0));
        return new Verification(answerCorrect, steps, answerLine >= 0 ? answer.ToString() : null);
    }

    // Checks chain-sum lines in order; one instance per completion.
    private sealed class ChainSumSteps(long[] terms)
    {
        private int _k;                                  // the number of lines seen
        private long _truth = terms[0];                  // the true sum of the first _k + 1 terms
        private long? _previous = terms[0];              // the sum the previous line wrote, if it was readable

        public bool Check(ReadOnlySpan<char> line)
        {
            _k++;
            bool readable = TryRead(line, out long label, out long a, out long b, out long c);
            bool right = readable && label == _k && _k < terms.Length && b == terms[_k] && c == a + b
                && (a == _truth || a == _previous);
            if (_k < terms.Length) _truth += terms[_k];
            _previous = readable ? c : null;
            return right;
        }

        private static bool TryRead(ReadOnlySpan<char> line, out long label, out long a, out long b, out long c)
        {
            a = b = c = 0;
            int pos = 0;
            return ArithmeticText.TryReadNumber(line, ref pos, allowSign: false, out label)
                && ArithmeticText.TryReadChar(line, ref pos, ':')
                && ArithmeticText.TryReadNumber(line, ref pos, allowSign: false, out a)
                && ArithmeticText.TryReadChar(line, ref pos, '+')
                && ArithmeticText.TryReadNumber(line, ref pos, allowSign: false, out b)
                && ArithmeticText.TryReadChar(line, ref pos, '=')
                && ArithmeticText.TryReadNumber(line, ref pos, allowSign: false, out c)
                && pos == line.Length;
        }
    }

    // Checks dependency-graph lines in any order; one instance per completion.
    private sealed class GraphSteps(DependencyGraphGenerator.Graph graph)
    {
        private readonly Dictionary<char, long> _written = [];   // the last value a readable line wrote for each variable

        public bool Check(ReadOnlySpan<char> line)
        {
            if (!TryRead(line, out char name, out long a, out char op, out long b, out long c)) return false;
            bool right = graph.Definitions.TryGetValue(name, out var definition) && op == definition.Operator
                && IsRightInput(definition.Left, a) && IsRightInput(definition.Right, b)
                && DependencyGraphGenerator.TryApply(op, a, b, out long value) && value == c;
            _written[name] = c;
            return right;
        }

        private bool IsRightInput(DependencyGraphGenerator.Operand operand, long value) =>
            operand.IsVariable
                ? (graph.Values.TryGetValue(operand.Variable, out long truth) && value == truth)
                    || (_written.TryGetValue(operand.Variable, out long written) && value == written)
                : value == operand.Literal;

        // "x=" [-]a op [-]b "=" [-]c: the greedy left-to-right read makes "5--1" five minus minus-one.
        private static bool TryRead(ReadOnlySpan<char> line, out char name, out long a, out char op, out long b, out long c)
        {
            name = op = '\0';
            a = b = c = 0;
            int pos = 2;
            if (line.Length < 2 || !char.IsAsciiLetterLower(line[0]) || line[1] != '=') return false;
            if (!ArithmeticText.TryReadNumber(line, ref pos, allowSign: true, out a) || pos >= line.Length || !"+-*".Contains(line[pos])) return false;
            name = line[0];
            op = line[pos++];
            return ArithmeticText.TryReadNumber(line, ref pos, allowSign: true, out b)
                && ArithmeticText.TryReadChar(line, ref pos, '=')
                && ArithmeticText.TryReadNumber(line, ref pos, allowSign: true, out c)
                && pos == line.Length;
        }
    }
}
