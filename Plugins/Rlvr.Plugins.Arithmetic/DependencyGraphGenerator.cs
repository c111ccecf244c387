// Dependency graph (iGSM, Ye et al., arXiv:2407.20311; GSM-Infinite): variables defined from literals and earlier
// variables with + - *, every value kept in 0..MaxOperand; the question asks for the last one. Difficulty d = the
// number of operations, all of them needed for the answer. Definitions are shown shuffled, so the model must find
// what to compute first.
//   prompt    b=a*3,a=5+2,c=b-a,c?                   d definitions "x=" operand op operand, joined by ',',
//                                                      then ',' the asked variable '?'; operands: a letter or 1..MaxConstant
//   solution  a=5+2=7\nb=7*3=21\nc=21-7=14\n#14      one line per operation in computing order: "x=" the operands'
//                                                      values, op, '=' the result, '\n'; then '#' and the answer
using System.Globalization;
using System.Text;
using Rlvr.Tasks;

namespace Rlvr.Plugins.Arithmetic;

internal sealed class DependencyGraphGenerator(int maxValue, int maxConstant, bool shuffle) : IArithmeticGenerator
{
    public const string Characters = "\n#*+,-0123456789=?abcdefghijklmnopqrstuvwxyz";
    private const long Limit = 1_000_000_000_000;       // values of parsed prompts beyond this are malformed

    public string Alphabet => Characters;

    public int MinDifficulty => 1;

    // An operand is a variable (Variable != '\0') or a literal.
    public readonly record struct Operand(char Variable, long Literal)
    {
        public bool IsVariable => Variable != '\0';

        public override string ToString() => IsVariable ? Variable.ToString() : ArithmeticText.Format(Literal);
    }

    public sealed record Definition(char Name, Operand Left, char Operator, Operand Right)
    {
        public override string ToString() => $"{Name}={Left}{Operator}{Right}";
    }

    // A parsed problem: its definitions by name, every variable's true value, and the operations the query needs
    // in computing order.
    public sealed record Graph(IReadOnlyDictionary<char, Definition> Definitions, IReadOnlyDictionary<char, long> Values,
        IReadOnlyList<Definition> Order, char Query);

    public Problem Generate(int difficulty, Random random)
    {
        char[] names = PickNames(difficulty, random);
        var values = new Dictionary<char, long>();
        var definitions = new Definition[difficulty];
        for (int i = 0; i < difficulty; i++)
        {
            // Each operation reads the one before it, so the question needs all d; the other operand is a literal
            // or, half the time, an earlier variable (a skip edge that makes the graph more than a chain).
            var left = i == 0 ? Literal(random) : new Operand(names[i - 1], 0);
            var right = i >= 2 && random.Next(2) == 0 ? new Operand(names[random.Next(i - 1)], 0) : Literal(random);
            long a = ValueOf(left, values), b = ValueOf(right, values);
            char op = PickOperator(a, b, random);
            bool swap = op == '-' ? a < b : random.Next(2) == 0;   // subtraction stays non-negative
            if (swap) (left, right, a, b) = (right, left, b, a);
            definitions[i] = new Definition(names[i], left, op, right);
            values[names[i]] = Apply(op, a, b);
        }

        var shown = (Definition[])definitions.Clone();
        if (shuffle) random.Shuffle(shown);
        string prompt = string.Join(',', shown) + "," + names[^1] + "?";
        var graph = TryParsePrompt(prompt, out var parsed) ? parsed : throw new InvalidOperationException($"Generated an unreadable prompt: {prompt}");
        return ArithmeticText.CreateProblem(prompt, WriteSolution(graph, SolutionNoise.None, random), graph.Values[graph.Query], difficulty);
    }

    // Noise semantics in Slips.cs. "Continue" reads the values this solution wrote; "repair" reads the true ones.
    public static string WriteSolution(Graph graph, SolutionNoise noise, Random random)
    {
        var slips = Slips.Start(noise, random);
        bool repair = slips?.Repair ?? false;
        var written = new Dictionary<char, long>();
        var text = new StringBuilder();
        foreach (var definition in graph.Order)
        {
            long a = Input(definition.Left), b = Input(definition.Right);
            long right = Apply(definition.Operator, a, b);
            long value = slips?.Write(right) ?? right;
            written[definition.Name] = value;
            text.Append(CultureInfo.InvariantCulture, $"{definition.Name}={a}{definition.Operator}{b}={value}\n");
        }
        long answer = repair ? graph.Values[graph.Query] : written[graph.Query];
        return text.Append(CultureInfo.InvariantCulture, $"{ArithmeticText.AnswerMark}{answer}").ToString();

        long Input(Operand operand) =>
            !operand.IsVariable ? operand.Literal : repair ? graph.Values[operand.Variable] : written[operand.Variable];
    }

    // Reads a prompt back: distinct lowercase names, every operand defined, no cycles, values within Limit.
    public static bool TryParsePrompt(string prompt, out Graph graph)
    {
        graph = null!;
        if (!prompt.EndsWith('?')) return false;
        string[] parts = prompt[..^1].Split(',');
        string query = parts[^1];
        if (parts.Length < 2 || query.Length != 1 || !char.IsAsciiLetterLower(query[0])) return false;

        var definitions = new Dictionary<char, Definition>();
        foreach (string part in parts[..^1])
        {
            if (!TryParseDefinition(part, out var definition) || !definitions.TryAdd(definition.Name, definition)) return false;
        }

        var values = new Dictionary<char, long>();
        var order = new List<Definition>();
        var visiting = new HashSet<char>();
        if (!Evaluate(query[0])) return false;
        var needed = order.ToArray();
        foreach (char name in definitions.Keys)   // a definition the question does not need still gets its value
            if (!Evaluate(name)) return false;
        graph = new Graph(definitions, values, needed, query[0]);
        return true;

        // Depth-first, operands left to right: appends each needed operation after the ones it reads.
        bool Evaluate(char name)
        {
            if (values.ContainsKey(name)) return true;
            if (!definitions.TryGetValue(name, out var definition) || !visiting.Add(name)) return false;   // undefined, or a cycle
            if (!Read(definition.Left, out long a) || !Read(definition.Right, out long b)) return false;
            if (!TryApply(definition.Operator, a, b, out long value) || Math.Abs(value) > Limit) return false;
            values[name] = value;
            order.Add(definition);
            return true;
        }

        bool Read(Operand operand, out long value)
        {
            value = operand.Literal;
            if (!operand.IsVariable) return true;
            return Evaluate(operand.Variable) && values.TryGetValue(operand.Variable, out value);
        }
    }

    public static bool TryApply(char op, long a, long b, out long value)
    {
        Int128 result = op switch { '+' => (Int128)a + b, '-' => (Int128)a - b, '*' => (Int128)a * b, _ => Int128.MaxValue };
        bool ok = result >= long.MinValue && result <= long.MaxValue;
        value = ok ? (long)result : 0;
        return ok;
    }

    private static long Apply(char op, long a, long b) =>
        TryApply(op, a, b, out long value) ? value : throw new OverflowException($"{a}{op}{b} overflows.");

    // "x=" operand op operand, where an operand is a letter or an unsigned literal.
    private static bool TryParseDefinition(string text, out Definition definition)
    {
        definition = null!;
        var span = text.AsSpan();
        if (span.Length < 5 || !char.IsAsciiLetterLower(span[0]) || span[1] != '=') return false;
        int pos = 2;
        if (!TryReadOperand(span, ref pos, out var left) || pos >= span.Length || !"+-*".Contains(span[pos])) return false;
        char op = span[pos++];
        if (!TryReadOperand(span, ref pos, out var right) || pos != span.Length) return false;
        definition = new Definition(span[0], left, op, right);
        return true;
    }

    private static bool TryReadOperand(ReadOnlySpan<char> text, ref int pos, out Operand operand)
    {
        operand = default;
        if (pos < text.Length && char.IsAsciiLetterLower(text[pos]))
        {
            operand = new Operand(text[pos++], 0);
            return true;
        }
        if (!ArithmeticText.TryReadNumber(text, ref pos, allowSign: false, out long literal)) return false;
        operand = new Operand('\0', literal);
        return true;
    }

    private Operand Literal(Random random) => new('\0', random.Next(1, maxConstant + 1));

    private static long ValueOf(Operand operand, Dictionary<char, long> values) =>
        operand.IsVariable ? values[operand.Variable] : operand.Literal;

    // Uniform over the operators whose result stays in 0..maxValue; x*0 and x*1 are left out as trivial.
    private char PickOperator(long a, long b, Random random)
    {
        Span<char> feasible = stackalloc char[3];
        int count = 0;
        if (a + b <= maxValue) feasible[count++] = '+';
        if (a != b) feasible[count++] = '-';
        if (a >= 2 && b >= 2 && a * b <= maxValue) feasible[count++] = '*';
        return count == 0 ? '-' : feasible[random.Next(count)];   // a == b and a + b too large: x-x=0 is still in range
    }

    private static char[] PickNames(int count, Random random)
    {
        char[] letters = "abcdefghijklmnopqrstuvwxyz".ToCharArray();
        random.Shuffle(letters);
        return letters[..count];
    }
}
