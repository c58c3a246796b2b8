/**
 * Predicate pushdown (src/targets/plan.ts): a filter split into the parameters the API evaluates and a
 * residual applied locally, in the order that narrows the result most.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { format, fromSearchParams, plan, toPredicate, validate } from "../../src/index.js";
import { codes } from "../support/codes.js";
import { imageArb, rootFilterArb, SEED } from "../support/arbitraries.js";

describe("plan", () => {
  it.each<[string, string, string | null]>([
    ['status = "active"', "meta.status[eq:string]=active", null],
    ["a = 1 or b = 2", "", "a = 1 or b = 2"],
    ['status = "active" and (a = 1 or b = 2)', "meta.status[eq:string]=active", "a = 1 or b = 2"],
    ["status != x and rating >= 4", "meta.rating[gte:number]=4", 'status != "x"'],
    ['tag in ("a|b", c) and creator = u', "creator=u", 'tag in ("a|b", "c")'],
    // Six filters: equalities are chosen first, then lists, then ranges (sent in written order); the rest stays local.
    [
      "r > 1 and l in (1, 2, 3) and a = 1 and b = 2 and s in (1, 2) and c = 3",
      "meta.l[in:number]=1|2|3&meta.a[eq:number]=1&meta.b[eq:number]=2&meta.s[in:number]=1|2&meta.c[eq:number]=3",
      "r > 1",
    ],
    ["a = 1 or a = 2", "meta.a[in:number]=1|2", null],
    ["", "", null],
  ])("%s", (text, params, residual) => {
    const result = plan(text);
    expect(decodeURIComponent(result.params.toString().replace(/\+/g, " "))).toBe(params);
    expect(result.residual && format(result.residual)).toBe(residual);
    expect(result.exact).toBe(residual === null);
  });

  it("honours the caller's limits", () => {
    expect(plan("a.b.c.d.e.f = 1", { limits: { maxPathSegments: 10 } }).exact).toBe(true);
    expect(plan(`a in (${Array.from({ length: 11 }, (_, i) => i).join(", ")})`, { limits: { maxListValues: 20 } }).exact).toBe(true);
    expect(plan("a = 1 and b = 2 and c = 3", { limits: { maxFilters: 2 } }).residual).toMatchObject({ type: "compare" });
  });

  it("names the condition a unique key left out when residuals are refused", () => {
    expect(codes(() => plan("a > 1 and a > 2", { uniqueKeys: true, allowResidual: false }))).toEqual(["duplicate-param"]);
  });

  it("can refuse residuals", () => {
    expect(codes(() => plan("a = 1 or b = 2", { allowResidual: false }))).toEqual(["or-not-supported"]);
    expect(plan("a = 1", { allowResidual: false }).exact).toBe(true);
  });

  it("params AND residual select exactly what the filter selects; params always validate", () => {
    fc.assert(
      fc.property(rootFilterArb, fc.array(imageArb, { minLength: 1, maxLength: 8 }), (filter, images) => {
        const { params, residual, exact } = plan(filter);
        const pushed = fromSearchParams(params);
        expect(validate(pushed)).toEqual([]);
        expect(exact).toBe(residual === null);
        const whole = toPredicate(filter);
        const api = toPredicate(pushed);
        const local = residual ? toPredicate(residual) : () => true;
        for (const image of images) expect(api(image) && local(image)).toBe(whole(image));
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });
});
