/**
 * What a target can express. `validate` normalises a filter (so that, say, an `or` of equalities becomes
 * an `in`) and reports each rule the result breaks for the target it is meant for, as one issue at the
 * exact span concerned: the 6th filter, the 6th path segment, the 11th value.
 *
 * - `"api"` (the default): the List images V2 query parameters, every rule of the API and of its
 *   query-string form (`|` separates list values there, so no value may hold one).
 * - `"binding"`: the Workers Images binding's `filter`, which takes real lists (so `|` and `""` are fine
 *   in one), merges the conditions on one path into one entry (so the API's count of filters is a count
 *   of paths), and has no creator (it is `list({ creator })`'s own option).
 * - `"local"`: the predicate and SQL, which evaluate the whole language: no rule beyond a well-formed filter.
 */
import { isNegated, scalarType, type CompareNode, type Field, type FilterNode, type InNode, type Literal, type MetaField, type Span } from "../syntax/ast.js";
import { formatField } from "../syntax/format.js";
import { issueAt, sortIssues, type Issue } from "../syntax/issues.js";
import { hasLoneSurrogate } from "../syntax/unicode.js";
import { resolveLimits, type LimitOptions, type Limits } from "./limits.js";
import { normalize } from "./normalize.js";
import { filterShapeIssue } from "./shape.js";

/** Where a filter is meant to go: what decides which rules apply (see the module's comment). */
export type ValidationTarget = "api" | "binding" | "local";

/** Options for {@link validate}. */
export interface ValidateOptions extends LimitOptions {
  /** The target to check for: `"api"` (default), `"binding"` or `"local"`. */
  readonly target?: ValidationTarget;
}

/** The conditions a filter sends as query parameters: one per top-level conjunct of its normal form. */
export function conjuncts(normal: FilterNode): readonly FilterNode[] {
  if (normal.type === "all") return [];
  return normal.type === "and" ? normal.operands : [normal];
}

/**
 * Checks that a filter can be sent to its target (by default, `GET /accounts/{id}/images/v2` as query
 * parameters). Returns every problem (empty when it can; for something that is not a well-formed filter,
 * or one nested deeper than `NESTING_CEILING`, that one issue alone); never throws for any filter.
 * @throws RangeError when a limit in `options` is invalid (see `LimitOptions`).
 */
export function validate(filter: FilterNode, options?: ValidateOptions): Issue[] {
  const limits = resolveLimits(options);
  const shape = filterShapeIssue(filter);
  return shape ? [shape] : validateNormal(normalize(filter), limits, options?.target);
}

/** {@link validate} for a filter already in normal form. */
export function validateNormal(normal: FilterNode, limits: Limits, target: ValidationTarget = "api"): Issue[] {
  if (target === "local") return [];
  const binding = target === "binding";
  const issues: Issue[] = [];
  let metadataFilters = 0;
  let creators = 0;
  const all = conjuncts(normal);
  const metadata = all.filter((node): node is CompareNode | InNode => isCondition(node) && node.field.type === "meta");
  // The binding merges the conditions on one path into one entry: what it counts is paths.
  const paths = binding ? metadata.map((node) => (node.field as MetaField).path.join(".")) : [];
  const pathTotal = new Set(paths).size;
  const pathsSeen = new Set<string>();
  for (const node of all) {
    if (binding && (node.type === "compare" || node.type === "in") && node.field.type === "creator") issues.push(creatorForBinding(node));
    if (!isCondition(node)) {
      issues.push(structureIssue(node));
      continue;
    }
    if (node.field.type === "creator") {
      creators++;
      checkCreator(node, creators, issues);
      continue;
    }
    metadataFilters++;
    if (binding) {
      const path = node.field.path.join(".");
      if (!pathsSeen.has(path) && pathsSeen.size === limits.maxFilters) {
        issues.push(
          issueAt(
            "too-many-filters",
            `at most ${limits.maxFilters} metadata paths can be filtered on; this is path ${limits.maxFilters + 1} of ${pathTotal}`,
            node.span,
          ),
        );
      }
      pathsSeen.add(path);
    } else if (metadataFilters === limits.maxFilters + 1) {
      issues.push(
        issueAt(
          "too-many-filters",
          `the API accepts at most ${limits.maxFilters} metadata filters; this is filter ${metadataFilters} of ${metadata.length}`,
          node.span,
        ),
      );
    }
    checkPath(node.field, limits, issues);
    if (node.type === "compare") checkCompare(node, issues);
    else checkList(node, limits, issues, binding);
  }
  return sortIssues(issues);
}

/** The binding's filter has no creator: it is an option of `list()` itself. */
function creatorForBinding(node: CompareNode | InNode): Issue {
  return issueAt(
    "binding-unsupported",
    'the binding\'s filter has no creator; pass it to list({ creator }) instead (where "" means no filter)',
    node.span,
  );
}

function isCondition(node: FilterNode): node is CompareNode | InNode {
  return (node.type === "compare" || node.type === "in") && !isNegated(node);
}

function structureIssue(node: FilterNode): Issue {
  if (node.type === "or" && node.operands.every((operand) => (operand.type === "compare" || operand.type === "in") && operand.field.type === "creator")) {
    return issueAt("or-not-supported", "the API takes one creator per request: an or of creators cannot be sent", node.span);
  }
  if (node.type === "or") {
    return issueAt(
      "or-not-supported",
      'the API combines filters with "and" only, and this "or" cannot be written as one "in" list ' +
        "(that needs equalities on one field with values of one type)",
      node.span,
    );
  }
  return issueAt(
    "negation-not-supported",
    'the API has no negation: "not", "!=" and "not in" can only be used in local filters',
    node.span,
  );
}

function checkCreator(node: CompareNode | InNode, count: number, issues: Issue[]): void {
  if (node.type !== "compare" || node.op !== "eq" || typeof node.value.value !== "string") {
    issues.push(
      issueAt(
        "creator-operator",
        'creator can only be compared with "=" and a string, e.g. creator = "user123" (or creator = "" for none)',
        node.span,
      ),
    );
  } else if (count > 1) {
    issues.push(issueAt("duplicate-creator", "the API takes one creator condition; this is a second one", node.span));
  } else {
    checkWellFormed(node.value.value, node.value.span, issues);
  }
}

const UNADDRESSABLE = /[.[\]]/;

function checkPath(field: Field, limits: Limits, issues: Issue[]): void {
  if (field.type !== "meta") return;
  if (field.path.length === 0) {
    issues.push(issueAt("unaddressable-segment", "a metadata path needs at least one name", field.span));
    return;
  }
  const spans = field.segmentSpans;
  field.path.forEach((segment, i) => {
    const span = spans?.[i] ?? field.span;
    checkWellFormed(segment, span, issues);
    if (segment === "" || UNADDRESSABLE.test(segment)) {
      issues.push(
        issueAt(
          "unaddressable-segment",
          segment === ""
            ? "an empty name cannot be addressed by the API"
            : `the API cannot address a name containing ".", "[" or "]": ${JSON.stringify(segment)}`,
          span,
        ),
      );
    }
  });
  if (field.path.length > limits.maxPathSegments) {
    const span = spans?.[limits.maxPathSegments] ?? field.span;
    issues.push(
      issueAt(
        "path-too-deep",
        `the API accepts paths of at most ${limits.maxPathSegments} names; ${formatField(field)} has ${field.path.length}`,
        span,
      ),
    );
  }
}

/** URLs carry UTF-8, which has no lone surrogates: such text would arrive changed. */
function checkWellFormed(text: string, span: Span | undefined, issues: Issue[]): void {
  if (hasLoneSurrogate(text)) {
    issues.push(
      issueAt("lone-surrogate", "this text holds half of a surrogate pair (a broken character) and cannot be sent in a URL", span),
    );
  }
}

function checkFinite(literal: Literal, issues: Issue[]): void {
  if (typeof literal.value === "number" && !Number.isFinite(literal.value)) {
    const message = Number.isNaN(literal.value) ? "NaN is not a number the API can compare (only finite numbers)" : "this number is too large to be sent (only finite numbers)";
    issues.push(issueAt("non-finite-number", message, literal.span));
  }
}

function checkCompare(node: CompareNode, issues: Issue[]): void {
  checkFinite(node.value, issues);
  if (typeof node.value.value === "string") checkWellFormed(node.value.value, node.value.span, issues);
  if (node.op !== "eq" && typeof node.value.value !== "number") {
    issues.push(
      issueAt(
        "range-needs-number",
        `<, <=, > and >= compare numbers only; ${JSON.stringify(node.value.value)} is a ${scalarType(node.value.value)}`,
        node.value.span,
      ),
    );
  }
}

/** A list's rules; `|` and `""` are refused only where lists are written as text (`queryString`). */
function checkList(node: InNode, limits: Limits, issues: Issue[], realLists: boolean): void {
  if (node.values.length === 0) {
    issues.push(issueAt("empty-list-value", 'an "in" list needs at least one value', node.span));
    return;
  }
  const firstType = scalarType(node.values[0]!.value);
  let reportedMixed = false;
  node.values.forEach((literal, i) => {
    checkFinite(literal, issues);
    const type = scalarType(literal.value);
    if (type === "boolean") {
      issues.push(
        issueAt("boolean-list", 'the API has no "in" for booleans; use = true or = false', literal.span),
      );
    } else if (type !== firstType && firstType !== "boolean" && !reportedMixed) {
      reportedMixed = true;
      issues.push(
        issueAt(
          "mixed-types",
          `all values of one list must have one type; this ${type} follows ${firstType}s`,
          literal.span,
        ),
      );
    }
    if (typeof literal.value === "string") {
      checkWellFormed(literal.value, literal.span, issues);
      // The binding takes the list as an array: there "|" and "" are values like any other.
      if (!realLists) checkListText(literal.value, literal.span, issues);
    }
    if (i === limits.maxListValues) {
      issues.push(
        issueAt(
          "too-many-values",
          `the API accepts at most ${limits.maxListValues} values in one "in" list; this is value ${i + 1} of ${node.values.length}`,
          literal.span,
        ),
      );
    }
  });
}

/** A value of a list written as text, `a|b|c`: it cannot hold the separator, or be empty. */
function checkListText(value: string, span: Span | undefined, issues: Issue[]): void {
  if (value.includes("|")) {
    issues.push(issueAt("pipe-in-value", 'a value in an "in" list cannot contain "|" (the API separates values with it)', span));
  } else if (value === "") {
    issues.push(issueAt("empty-list-value", 'an "in" list cannot hold the empty string', span));
  }
}
