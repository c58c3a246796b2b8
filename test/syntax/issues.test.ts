/**
 * Errors are data (src/syntax/issues.ts): issues located by line and column, code frames with a caret
 * under the span, the `FilterError` that carries them, and the one order every list of issues is in.
 */
import { describe, expect, it } from "vitest";
import { check, FilterError, formatIssue, parse, type Issue, type IssueCode } from "../../src/index.js";
import { hasErrors, issueAt, locateIssues, sortIssues } from "../../src/syntax/issues.js";

/** An issue over [start, end) (the code does not matter here). */
function issue(start: number, end: number, code: IssueCode = "expected-value", message = "m"): Issue {
  return { code, message, severity: "error", start, end };
}

describe("lines and columns", () => {
  it("are 1-based, counted in UTF-16 code units from the last line feed", () => {
    const located = locateIssues("a\nbc\n\nd", [issue(0, 0), issue(2, 3), issue(3, 4), issue(5, 5), issue(6, 7), issue(7, 7)]);
    expect(located.map(({ line, column }) => [line, column])).toEqual([
      [1, 1],
      [2, 1],
      [2, 2],
      [3, 1],
      [4, 1],
      [4, 2],
    ]);
    expect(locateIssues("a = 1", [])).toEqual([]);
  });

  it("keep everything else of the issue", () => {
    const [located] = locateIssues("x\ny", [{ ...issue(2, 3), replacement: "z" }]);
    expect(located).toEqual({ ...issue(2, 3), replacement: "z", line: 2, column: 1 });
  });


  it("issues on later lines carry their line and column", () => {
    const issue = check('status = "a"\nand = 1').issues[0]!;
    expect(issue).toMatchObject({ line: 2, column: 5, code: "expected-field", start: 17 });
  });
});

describe("code frames", () => {
  it("show the issue's line with a caret under its span, cut at the end of the line", () => {
    expect(formatIssue("a = 1 and\nb ~~ 2", issue(12, 14, "unexpected-character", "the character \"~\" cannot be used here"))).toBe(
      ['error[unexpected-character]: the character "~" cannot be used here', " 2 | b ~~ 2", "   |   ^~"].join("\n"),
    );
    expect(formatIssue('ab\tc = "x', issue(3, 100))).toBe(["error[expected-value]: m", ' 1 | ab c = "x', "   |    ^~~~~~"].join("\n"));
  });

  it("give a point (the end of the text) one caret", () => {
    expect(formatIssue("abc", issue(3, 3))).toBe(["error[expected-value]: m", " 1 | abc", "   |    ^"].join("\n"));
  });

  it("show a window of a long line around the span, marked with ellipses", () => {
    const long = "x".repeat(100) + " = " + "y".repeat(100);
    const [, line, caret] = formatIssue(long, issue(101, 102)).split("\n");
    expect(line).toBe(` 1 | …${"x".repeat(19)} = ${"y".repeat(50)}…`);
    expect(caret!.indexOf("^") - 5).toBe(line!.indexOf("=") - 5);
  });

  it("stay one line each, control characters shown as spaces so that the caret stays aligned", () => {
    const [, line, caret] = formatIssue("a\u0001\u007f\tb = \u0000", issue(6, 7)).split("\n");
    expect(line).toBe(" 1 | a   b =  ");
    expect(caret).toBe("   |       ^");
    expect(caret!.indexOf("^")).toBe(line!.indexOf("="));
  });
});

describe("FilterError", () => {
  it("parse throws a FilterError whose message shows a code frame with a caret", () => {
    let error: unknown;
    try {
      parse('status = "active" and priority in (4,');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FilterError);
    const filterError = error as FilterError;
    expect(filterError.issues[0]!.code).toBe("expected-value");
    expect(filterError.issues[0]).toMatchObject({ line: 1, column: 38 });
    expect(filterError.message).toBe(
      [
        "Invalid filter",
        'error[expected-value]: expected a value after "," (a quoted string, a number, true or false)',
        ' 1 | status = "active" and priority in (4,',
        "   |                                      ^",
      ].join("\n"),
    );
  });

  it("keeps every issue and the text, and shows at most ten in its message", () => {
    const many = Array.from({ length: 12 }, (_, i) => issue(i, i + 1));
    const error = new FilterError(many);
    expect(error.name).toBe("FilterError");
    expect(error).toBeInstanceOf(Error);
    expect(error.issues).toBe(many);
    expect(error.text).toBeUndefined();
    const lines = error.message.split("\n");
    expect(lines[0]).toBe("Invalid filter (12 problems)");
    // Without a text, no code frames: one line per issue.
    expect(lines.slice(1, 11)).toEqual(Array.from({ length: 10 }, () => "error[expected-value]: m"));
    expect(lines.slice(11)).toEqual(["… and 2 more (see error.issues)"]);
  });

  it("with the text, shows a code frame per issue", () => {
    const error = new FilterError([issue(0, 1), issue(2, 3)], "a = b");
    expect(error.text).toBe("a = b");
    expect(error.message).toBe(
      ["Invalid filter (2 problems)", "error[expected-value]: m", " 1 | a = b", "   | ^", "error[expected-value]: m", " 1 | a = b", "   |   ^"].join("\n"),
    );
  });
});

describe("order and severity", () => {
  it("sortIssues puts issues in text order, by start then end, keeping the order of issues at one span", () => {
    const found = [issue(5, 9, "expected-value"), issue(0, 4, "unexpected-token"), issue(5, 6, "expected-field"), issue(5, 9, "expected-list"), issue(0, 4, "expected-operator")];
    const sorted = sortIssues([...found]);
    expect(sorted.map((each) => [each.start, each.end, each.code])).toEqual([
      [0, 4, "unexpected-token"],
      [0, 4, "expected-operator"],
      [5, 6, "expected-field"],
      [5, 9, "expected-value"],
      [5, 9, "expected-list"],
    ]);
  });

  it("every list of issues the library returns is in that order", () => {
    const { issues } = check('z.a.b.c.d.e.f = 1 or x ~ 1 and b = "open');
    expect(issues.length).toBeGreaterThan(1);
    expect(sortIssues([...issues])).toEqual(issues);
  });

  it("hasErrors is true when any issue is an error, not for warnings alone", () => {
    expect(hasErrors([])).toBe(false);
    expect(hasErrors([{ ...issue(0, 1, "unknown-field"), severity: "warning" }])).toBe(false);
    expect(hasErrors([{ ...issue(0, 1, "unknown-field"), severity: "warning" }, issue(2, 3)])).toBe(true);
  });

  it("issueAt builds an error over a span, at offset 0 without one", () => {
    expect(issueAt("expected-value", "m", { start: 3, end: 5 })).toEqual(issue(3, 5));
    expect(issueAt("expected-value", "m", undefined)).toEqual(issue(0, 0));
  });

  it("parse's issues point into its text (the frame's caret is under the first problem)", () => {
    expect(() => parse("a = 1 and")).toThrow(expect.objectContaining({ text: "a = 1 and", issues: [expect.objectContaining({ start: 9, line: 1, column: 10 })] }));
  });
});
