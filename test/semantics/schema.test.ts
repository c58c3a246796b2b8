/**
 * Field schemas (src/semantics/schema.ts): with one, `check` also reports unknown fields (warnings, with
 * did-you-mean), values of the wrong type (with the value in the right type as a fix), values outside an
 * enum, and ranges on fields that are not numbers.
 */
import { describe, expect, it } from "vitest";
import { check, type FieldSchema } from "../../src/index.js";
import { fields } from "../support/fields.js";

const SCHEMA_CODES: ReadonlySet<string> = new Set(["unknown-field", "unknown-value", "type-mismatch"]);

/** The schema's issues of `text` (not the API's) as [code, severity, text pointed at]. */
function schemaIssues(text: string, schema: FieldSchema = fields): [string, string, string][] {
  return check(text, { fields: schema })
    .issues.filter((issue) => SCHEMA_CODES.has(issue.code))
    .map((issue) => [issue.code, issue.severity, text.slice(issue.start, issue.end)]);
}

describe("field schemas", () => {
  it.each<[string, string, string, string, string | undefined]>([
    ["stauts = active", "unknown-field", "warning", 'unknown field "stauts"; did you mean "status"?', "status"],
    ["region.nmae = x", "unknown-field", "warning", 'unknown field "region.nmae"; did you mean "region.name"?', "region.name"],
    ["colour = red", "unknown-field", "warning", 'unknown field "colour"', undefined],
    ['priority = "5"', "type-mismatch", "error", 'priority is a number, but "5" is a string; write 5', "5"],
    ["priority > high", "type-mismatch", "error", 'priority is a number, but "high" is a string', undefined],
    ["status = 5", "type-mismatch", "error", 'status is a string, but 5 is a number; write "5"', '"5"'],
    ["enabled = ture", "type-mismatch", "error", 'enabled is a boolean, but "ture" is a string; write true', "true"],
    ['enabled = "false"', "type-mismatch", "error", 'enabled is a boolean, but "false" is a string; write false', "false"],
    ["status = actve", "unknown-value", "error", '"actve" is not a value of status ("active", "pending"); did you mean "active"?', '"active"'],
    ["status in (active, paused)", "unknown-value", "error", '"paused" is not a value of status ("active", "pending")', undefined],
  ])("%s", (text, code, severity, message, replacement) => {
    const issues = check(text, { fields }).issues.filter((issue) => issue.code === code);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code, severity, message });
    expect(issues[0]!.replacement).toBe(replacement);
  });

  it("range bounds need not be enum values, but ranges need number fields", () => {
    const ranked: FieldSchema = { priority: { type: "number", values: [1, 2, 3, 4, 5] }, status: "string" };
    expect(check("priority > 2.5 and priority <= 10", { fields: ranked }).issues).toEqual([]);
    expect(check("priority = 7", { fields: ranked }).issues.map((i) => i.code)).toEqual(["unknown-value"]);
    const [issue] = check("status > 5", { fields: ranked }).issues.filter((i) => i.code === "type-mismatch");
    expect(issue).toMatchObject({ message: "status is a string: <, <=, > and >= apply only to number fields" });
    expect(issue!.replacement).toBeUndefined();
  });

  it("unknown fields are warnings: the filter is still ok", () => {
    const result = check("colour = red", { fields });
    expect(result.ok).toBe(true);
    expect(result.issues).toHaveLength(1);
  });

  it("known fields, types and values pass, meta. prefix and backticks included", () => {
    expect(check('meta.status = active and priority >= 3 and region.name in (eu-west) and enabled = true and `my key` = "x" and creator = u', { fields }).issues).toEqual([]);
  });

  it("points at the value or field at fault", () => {
    const text = 'status = active and priority = "high"';
    const [issue] = check(text, { fields }).issues;
    expect(text.slice(issue!.start, issue!.end)).toBe('"high"');
  });
});
describe("where the schema looks", () => {
  it("at every condition, under not and or, in != and not in", () => {
    expect(schemaIssues("not (status = actve or priority != high) and enabled not in (ture)")).toEqual([
      ["unknown-value", "error", "actve"],
      ["type-mismatch", "error", "high"],
      ["type-mismatch", "error", "ture"],
    ]);
  });

  it("at every value of a list", () => {
    expect(schemaIssues('status in (active, "x", 5)')).toEqual([
      ["unknown-value", "error", '"x"'],
      ["type-mismatch", "error", "5"],
    ]);
  });

  it("not at the creator, which is no metadata field (a metadata key named creator is)", () => {
    expect(schemaIssues('creator = "u"')).toEqual([]);
    expect(schemaIssues("meta.creator = 1")).toEqual([["unknown-field", "warning", "meta.creator"]]);
  });

  it("at the schema's own keys only: names of Object.prototype members are fields like any other", () => {
    expect(schemaIssues("constructor = x and toString = y")).toEqual([
      ["unknown-field", "warning", "constructor"],
      ["unknown-field", "warning", "toString"],
    ]);
    expect(schemaIssues("constructor = x", { constructor: "string" as const })).toEqual([]);
  });

  it("a type alone is shorthand for { type }", () => {
    expect(schemaIssues('n = "5"', { n: "number" })).toEqual(schemaIssues('n = "5"', { n: { type: "number" } }));
    expect(schemaIssues('n = "5"', { n: "number" })).toEqual([["type-mismatch", "error", '"5"']]);
  });
});
