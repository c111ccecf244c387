// The task read from JSONL files: problems, malformed lines with their numbers, draws by difficulty and seed.
using Microsoft.Extensions.Options;
using Rlvr.Tasks;

namespace Rlvr.Plugins.WordProblems.Tests;

public sealed class WordProblemsTaskTests : IDisposable
{
    // Difficulty = the number of non-empty solution lines before "####".
    private const string OneStep = """{"question": "Tom has 3 apples and buys 4. How many?", "answer": "3 + 4 = 7\n#### 7"}""";
    private const string TwoSteps = """{"question": "A pen costs $1,200 cents... how many dollars for 2?", "answer": "2 * 1200 = 2400 cents\n2400 / 100 = 24\n#### 24"}""";
    private const string OtherTwoSteps = """{"question": "Half of 9?", "answer": "9 / 2 = 4.5\nSo 4.5.\n#### 4.5"}""";
    private const string Boxed = """{"problem": "What is $\\frac{1}{2} + \\frac{1}{4}$?", "solution": "We get $\\frac{2}{4} + \\frac{1}{4} = \\boxed{\\frac{3}{4}}$."}""";
    private const string FourSteps = """{"question": "Q4", "answer": "a\nb\nc\nd\n#### -2"}""";

    private readonly string _folder = Directory.CreateTempSubdirectory("rlvr-word-problems-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, params string[] lines)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllLines(path, lines);
        return path;
    }

    private static WordProblemsTask Task(string train, string? heldOut = null, string malformed = WordProblemsOptions.Refuse, string template = "Question: {question}\nAnswer:") =>
        new(Options.Create(new WordProblemsOptions { TrainFile = train, HeldOutFile = heldOut, Malformed = malformed, PromptTemplate = template }));

    [Fact]
    public void A_gsm8k_line_becomes_a_problem_with_the_template_its_answer_and_its_difficulty()
    {
        var task = Task(Write("train.jsonl", OneStep, TwoSteps));

        var problem = task.Generate(1, new Random(1));

        Assert.Equal("Question: Tom has 3 apples and buys 4. How many?\nAnswer:", problem.Prompt);
        Assert.Equal("3 + 4 = 7\n#### 7", problem.Solution);
        Assert.Equal(("7", 1), (problem.Answer, problem.Difficulty));
        Assert.Equal(new DifficultyRange(1, 2), task.Difficulties);
        Assert.Equal(("24", 2), (task.Generate(2, new Random(1)).Answer, task.Generate(2, new Random(1)).Difficulty));
    }

    [Fact]
    public void A_math_line_takes_its_answer_from_the_box_as_a_fraction()
    {
        var problem = Task(Write("math.jsonl", Boxed), template: "{question}").Generate(1, new Random(1));

        Assert.Equal("What is $\\frac{1}{2} + \\frac{1}{4}$?", problem.Prompt);
        Assert.Equal("3/4", problem.Answer);
    }

    [Fact]
    public void Malformed_lines_are_refused_with_their_line_numbers_and_why()
    {
        string path = Write("bad.jsonl",
            OneStep,                                         // 1: fine
            "{not json",                                     // 2
            "",                                              // 3: blank, no problem
            """{"answer": "#### 4"}""",                      // 4
            """{"question": "Q"}""",                         // 5
            """{"question": "Q", "answer": "it is four"}""", // 6
            """{"question": "Q", "answer": "#### four"}""",  // 7
            "[1, 2]");                                       // 8

        var error = Assert.Throws<InvalidDataException>(() => Task(path));

        Assert.Contains("Tasks:WordProblems:TrainFile: 6 malformed line(s)", error.Message);
        Assert.Contains($"{path}:2: not JSON", error.Message);
        Assert.Contains($"{path}:4: no \"question\"", error.Message);
        Assert.Contains($"{path}:5: no \"answer\"", error.Message);
        Assert.Contains($"{path}:6: the answer has no final answer", error.Message);
        Assert.Contains($"{path}:7: the final answer \"four\" is not a number", error.Message);
        Assert.Contains($"{path}:8: not a JSON object", error.Message);
        Assert.DoesNotContain($"{path}:3:", error.Message);
    }

    [Fact]
    public void Skipping_leaves_the_malformed_lines_out_and_keeps_the_rest()
    {
        var task = Task(Write("bad.jsonl", OneStep, "{not json", TwoSteps), malformed: WordProblemsOptions.Skip);

        Assert.Equal(new DifficultyRange(1, 2), task.Difficulties);
        Assert.Equal("7", task.Generate(1, new Random(5)).Answer);
    }

    [Fact]
    public void A_file_with_no_problem_is_refused()
    {
        var error = Assert.Throws<InvalidDataException>(() => Task(Write("empty.jsonl", "{not json"), malformed: WordProblemsOptions.Skip));
        Assert.Contains("holds no word problem", error.Message);
    }

    [Fact]
    public void Generate_draws_with_the_seed_among_the_problems_of_the_level()
    {
        var task = Task(Write("train.jsonl", OneStep, TwoSteps, OtherTwoSteps, FourSteps));

        var draws = Enumerable.Range(0, 40).Select(i => task.Generate(2, new Random(i))).ToList();

        Assert.All(draws, p => Assert.Equal(2, p.Difficulty));
        Assert.Equal(["24", "9/2"], draws.Select(p => p.Answer).Distinct().Order());   // 4.5 in normal form is 9/2
        Assert.Equal(draws, Enumerable.Range(0, 40).Select(i => task.Generate(2, new Random(i))));
    }

    [Fact]
    public void A_level_the_file_lacks_draws_from_the_nearest_lower_one_on_a_tie()
    {
        var task = Task(Write("train.jsonl", OneStep, TwoSteps, FourSteps));

        Assert.Equal(2, task.Generate(3, new Random(1)).Difficulty);   // 2 and 4 are as near: the lower
        Assert.Throws<ArgumentOutOfRangeException>(() => task.Generate(5, new Random(1)));
    }

    [Fact]
    public void The_held_out_file_is_the_held_out_split_in_file_order()
    {
        var task = Task(Write("train.jsonl", OneStep), Write("test.jsonl", FourSteps, TwoSteps));

        Assert.Equal(["-2", "24"], task.HeldOut.Select(p => p.Answer));
        Assert.Empty(Task(Write("train.jsonl", OneStep)).HeldOut);
    }

    [Fact]
    public void The_alphabet_holds_every_character_of_both_files()
    {
        var task = Task(Write("train.jsonl", OneStep), Write("test.jsonl", """{"question": "Ünïcödé?", "answer": "#### 1"}"""));

        Assert.All("Question: Tom has 3 apples and buys 4. How many?\nAnswer:3 + 4 = 7\n#### 7Ünïcödé?", c => Assert.Contains(c, task.Alphabet));
        Assert.Equal(task.Alphabet.Length, task.Alphabet.Distinct().Count());
    }

    [Fact]
    public void WriteSolution_is_the_files_solution_whatever_the_noise()
    {
        var task = Task(Write("train.jsonl", TwoSteps));
        var problem = task.Generate(2, new Random(1));

        Assert.Equal(problem.Solution, task.WriteSolution(problem, new SolutionNoise(1.0, 0.0), new Random(2)));
    }
}
