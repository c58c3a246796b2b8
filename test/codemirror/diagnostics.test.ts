/** Diagnostics: `check`'s issues as CodeMirror draws them, by the box's target, with did-you-mean fixes. */
import { describe, expect, it } from "vitest";
import { filterDiagnostics } from "../../src/codemirror/index.js";

const brief = (text: string, options = {}) =>
  filterDiagnostics(text, options).map((d) => ({ severity: d.severity, code: d.source, text: text.slice(d.from, d.to), actions: d.actions?.map((a) => a.name) }));

describe("filterDiagnostics", () => {
  it("draws each issue at its span, with its severity and message", () => {
    expect(brief("status = active or priority = 5")).toEqual([
      { severity: "error", code: "or-not-supported", text: "status = active or priority = 5", actions: undefined },
    ]);
    expect(filterDiagnostics("a = ")[0]).toMatchObject({ from: 3, to: 3, severity: "error", message: expect.stringContaining("expected a value") });
  });

  it("for a box that feeds plan, what is applied locally is information", () => {
    expect(brief("status = active or priority = 5", { target: "plan" })).toEqual([
      { severity: "info", code: "or-not-supported", text: "status = active or priority = 5", actions: undefined },
    ]);
    expect(brief("status != x and rating >= 4", { target: "plan" })).toEqual([{ severity: "info", code: "negation-not-supported", text: "status != x", actions: undefined }]);
  });

  it("offers a did-you-mean replacement as an action", () => {
    expect(brief("status inn (1, 2)")).toEqual([{ severity: "error", code: "expected-operator", text: "inn", actions: ["Replace with in"] }]);
    const fields = { status: { type: "string" as const, values: ["active"] } };
    expect(brief("stauts = active", { fields })).toEqual([{ severity: "warning", code: "unknown-field", text: "stauts", actions: ["Replace with status"] }]);
  });

  it("keeps every diagnostic inside the text", () => {
    for (const text of ["", "(", "a = 1 and", 'a = "x', "a ~ 1", "a in (1,", "not"]) {
      for (const d of filterDiagnostics(text)) {
        expect(d.from).toBeGreaterThanOrEqual(0);
        expect(d.to).toBeGreaterThanOrEqual(d.from);
        expect(d.to).toBeLessThanOrEqual(text.length);
      }
    }
  });
});
