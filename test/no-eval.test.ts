/**
 * `npm run test:no-eval` runs the whole suite with `--disallow-code-generation-from-strings` (as
 * Cloudflare Workers and strict CSP do). This test proves the flag really reached the test workers, so
 * a green run means no code path of the library evaluates strings.
 */
import { describe, expect, it } from "vitest";

describe.runIf(process.env.IMGMETA_NO_EVAL === "1")("with code generation from strings disallowed", () => {
  it("eval and new Function are refused in the test workers", () => {
    expect(() => new Function("return 1")).toThrow(EvalError);
    // eslint-disable-next-line no-eval
    expect(() => (0, eval)("1")).toThrow(EvalError);
  });
});
