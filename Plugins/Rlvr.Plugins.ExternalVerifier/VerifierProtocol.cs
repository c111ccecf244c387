// The JSON-lines protocol between the verifier and its program: one request line in, one reply line out, per sample.
//   request  {"id":7,"problem":{"id":"..","prompt":"3+4=","solution":"..","answer":"7","difficulty":2},"completion":".."}
//   reply    {"id":7,"answerCorrect":true,"answer":"7","steps":[{"start":0,"length":8,"score":1}]}
// The reply's id must be the request's, so a reply can never be taken for another sample's. Steps follow the
// verifier contract: in order, not overlapping, never empty, inside the completion, scores in [0, 1]. Offsets count
// code points (what a Python str counts), converted here to the UTF-16 indices of StepVerdict. Lines are UTF-8.
using System.Text.Encodings.Web;
using System.Text.Json;
using Rlvr.Tasks;

namespace Rlvr.Plugins.ExternalVerifier;

internal static class VerifierProtocol
{
    // Completions and prompts are sent as written ('+' stays '+'); control characters and lone surrogates are escaped.
    private static readonly JsonSerializerOptions s_json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Request(long id, Problem problem, string completion) => JsonSerializer.Serialize(new
    {
        id,
        problem = new { id = problem.Id, prompt = problem.Prompt, solution = problem.Solution, answer = problem.Answer, difficulty = problem.Difficulty },
        completion,
    }, s_json);

    /// <summary>The verification a reply line states, or why the line is no valid reply to request <paramref name="id"/>.</summary>
    public static bool TryParse(string line, long id, string completion, out Verification verification, out string error)
    {
        verification = Verification.Wrong;
        try
        {
            using var document = JsonDocument.Parse(line);
            error = Read(document.RootElement, id, completion, out verification) ?? "";
            return error.Length == 0;
        }
        catch (JsonException e)
        {
            error = $"not JSON ({e.Message})";
            return false;
        }
    }

    private static string? Read(JsonElement reply, long id, string completion, out Verification verification)
    {
        verification = Verification.Wrong;
        if (reply.ValueKind != JsonValueKind.Object) return "not a JSON object";
        if (!reply.TryGetProperty("id", out var replyId) || replyId.ValueKind != JsonValueKind.Number || !replyId.TryGetInt64(out long got))
            return "no integer \"id\"";
        if (got != id) return $"\"id\" is {got}, not the request's {id}";
        if (!reply.TryGetProperty("answerCorrect", out var correct) || correct.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            return "no boolean \"answerCorrect\"";
        string? answer = null;
        if (reply.TryGetProperty("answer", out var written) && written.ValueKind != JsonValueKind.Null)
        {
            if (written.ValueKind != JsonValueKind.String) return "\"answer\" is neither a string nor null";
            answer = written.GetString();
        }
        if (!reply.TryGetProperty("steps", out var list) || list.ValueKind != JsonValueKind.Array) return "no \"steps\" array";

        int[] boundaries = CodePointBoundaries(completion);
        var steps = new List<StepVerdict>(list.GetArrayLength());
        int end = 0;                                     // in code points
        foreach (var step in list.EnumerateArray())
        {
            if (step.ValueKind != JsonValueKind.Object
                || !TryInt(step, "start", out int start) || !TryInt(step, "length", out int length)
                || !step.TryGetProperty("score", out var s) || s.ValueKind != JsonValueKind.Number)
                return $"step {steps.Count} is not {{\"start\": int, \"length\": int, \"score\": number}}";
            double score = s.GetDouble();
            if (length < 1 || start < end || start > boundaries.Length - 1 - length)
                return $"step {steps.Count} spans [{start}, {(long)start + length}), which is empty, overlaps the step before or leaves the completion's {boundaries.Length - 1} characters";
            if (!(score >= 0 && score <= 1)) return $"step {steps.Count} scores {score}, outside [0, 1]";
            steps.Add(new StepVerdict(boundaries[start], boundaries[start + length] - boundaries[start], score));
            end = start + length;
        }
        verification = new Verification(correct.GetBoolean(), steps, answer);
        return null;
    }

    private static bool TryInt(JsonElement element, string name, out int value)
    {
        value = 0;
        return element.TryGetProperty(name, out var property) && property.ValueKind == JsonValueKind.Number && property.TryGetInt32(out value);
    }

    // The UTF-16 index where each code point starts, and the length last: code point i is text[b[i]..b[i + 1]].
    private static int[] CodePointBoundaries(string text)
    {
        var boundaries = new List<int>(text.Length + 1);
        for (int i = 0; i < text.Length; i += char.IsSurrogatePair(text, i) ? 2 : 1) boundaries.Add(i);
        boundaries.Add(text.Length);
        return [.. boundaries];
    }
}
