/**
 * A consumer of the published package, type-checked by test/package/package.test.ts: the public types
 * must be usable without casts and without `any`.
 */
import {
  check,
  DEFAULT_LIMITS,
  FilterError,
  format,
  fromSearchParams,
  parse,
  toPredicate,
  toQueryString,
  toSearchParams,
  validate,
  type Filter,
  type Issue,
  type IssueCode,
  type Predicate,
} from "imgmeta";
import { imgmetaFilter } from "imgmeta/codemirror";
import type { Extension } from "@codemirror/state";

const filter: Filter = parse('status = "active"');
const issues: readonly Issue[] = check("a = ").issues;
const code: IssueCode | undefined = issues[0]?.code;
const predicate: Predicate = toPredicate(filter);
const matched: boolean = predicate({ creator: null, meta: { status: "active" } });
const query: string = toQueryString(filter, { perPage: 100, sortOrder: "asc" });
const params: URLSearchParams = toSearchParams("a = 1");
const back: string = format(fromSearchParams(params));
const max: number = DEFAULT_LIMITS.maxFilters;
const more: Issue[] = validate(filter, { limits: { maxFilters: 10 } });
const error = new FilterError(more);
const texts: string[] = error.issues.map((issue) => `${issue.code} ${issue.start}-${issue.end}`);

if (filter.type === "compare" && filter.field.type === "meta") {
  const path: readonly string[] = filter.field.path;
  const value: string | number | boolean = filter.value.value;
  void path;
  void value;
}

// The search box: its options take the library's own types.
const submitted: string[] = [];
const searchBox: Extension = imgmetaFilter({
  fields: { status: { type: "string", values: ["active"] } },
  target: "plan",
  limits: { maxFilters: 5 },
  onSubmit: (submittedFilter: Filter | undefined, text: string) => {
    if (submittedFilter) submitted.push(text);
  },
});

export { code, matched, query, back, max, texts, searchBox };
