#!/usr/bin/env python3
"""A verifier for Rlvr's chain-sum arithmetic, run as an external program (standard library only).

Rlvr starts it once per run and writes one JSON line per completion to its stdin:
    {"id": 7, "problem": {"id": "...", "prompt": "47+1+20=", "solution": "...", "answer": "68", "difficulty": 3},
     "completion": "1:47+1=48\n2:48+20=68\n#68"}
and reads one JSON line back from its stdout, with the same id:
    {"id": 7, "answerCorrect": true, "answer": "68",
     "steps": [{"start": 0, "length": 10, "score": 1.0}, {"start": 10, "length": 11, "score": 1.0}]}
Offsets count characters of the completion (Python str indices). It exits when stdin closes.

What it decides is what the C# arithmetic verifier decides for chain sums:
  - Lines end at '\n'. The answer line is the first line that starts with '#'; text after it is ignored. The answer
    is right when the rest of that line equals the problem's answer exactly (no answer line: wrong, answer null).
  - Every line before the answer line is a step, scored 1 or 0; its span includes its '\n'.
  - Line k (1-based) is right when it reads "k:a+b=c" with b = term k+1, c = a+b, and a the true sum of the first k
    terms or the c the line before wrote: honest work after a slip verifies; only the slip is wrong.
  - Numbers are 1 to 9 ASCII digits; anything else makes the line unreadable, hence wrong.
  - A prompt that is not a chain sum still gets its answer checked; its steps score 0.
"""
import json
import sys

MAX_DIGITS = 9


def read_number(text, pos):
    """The number of 1 to MAX_DIGITS ASCII digits at text[pos:], and the position after it; None when there is none."""
    end = pos
    while end < len(text) and "0" <= text[end] <= "9":
        if end - pos == MAX_DIGITS:
            return None
        end += 1
    return (int(text[pos:end]), end) if end > pos else None


def read_char(text, pos, expected):
    return pos + 1 if pos < len(text) and text[pos] == expected else None


def parse_terms(prompt):
    """The terms of "a+b+...=", two or more; None for any other prompt."""
    terms, pos = [], 0
    while True:
        number = read_number(prompt, pos)
        if number is None:
            return None
        term, pos = number
        terms.append(term)
        if read_char(prompt, pos, "=") is not None:
            pos += 1
            break
        pos = read_char(prompt, pos, "+")
        if pos is None:
            return None
    return terms if pos == len(prompt) and len(terms) >= 2 else None


def read_step(line):
    """(label, a, b, c) of "label:a+b=c", or None."""
    values, pos = [], 0
    for separator in (":", "+", "=", None):
        number = read_number(line, pos)
        if number is None:
            return None
        value, pos = number
        values.append(value)
        if separator is not None:
            pos = read_char(line, pos, separator)
            if pos is None:
                return None
    return tuple(values) if pos == len(line) else None


def lines_of(text):
    """(start, length) of each line, '\n' included."""
    spans, start = [], 0
    while start < len(text):
        newline = text.find("\n", start)
        end = len(text) if newline < 0 else newline + 1
        spans.append((start, end - start))
        start = end
    return spans


def verify(problem, completion):
    if not completion:
        return False, None, []
    lines = lines_of(completion)
    answer_line = next((i for i, (start, _) in enumerate(lines) if completion[start] == "#"), None)
    answer = None
    if answer_line is not None:
        start, length = lines[answer_line]
        answer = completion[start:start + length].rstrip("\n")[1:]
    terms = parse_terms(problem["prompt"])

    steps = []
    k, truth, previous = 0, terms[0] if terms else 0, terms[0] if terms else None
    for start, length in lines[:answer_line] if answer_line is not None else lines:
        right = False
        if terms is not None:
            k += 1
            step = read_step(completion[start:start + length].rstrip("\n"))
            if step is not None:
                label, a, b, c = step
                right = label == k and k < len(terms) and b == terms[k] and c == a + b and (a == truth or a == previous)
            if k < len(terms):
                truth += terms[k]
            previous = step[3] if step is not None else None
        steps.append({"start": start, "length": length, "score": 1.0 if right else 0.0})
    return answer is not None and answer == problem["answer"], answer, steps


def main():
    while True:
        line = sys.stdin.buffer.readline()
        if not line:
            return                                       # stdin closed: the run is over
        request = json.loads(line)
        correct, answer, steps = verify(request["problem"], request["completion"])
        sys.stdout.write(json.dumps({"id": request["id"], "answerCorrect": correct, "answer": answer, "steps": steps}) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
