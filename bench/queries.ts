/**
 * The benchmark's queries, written in each library's own language, with hand-written predicates: typed
 * equality, and the same matches on both datasets, but written as code for known records is (plain reads:
 * no check that `meta` is an object or that a property is its own, which imgmeta's predicates make for any
 * record). `keyed`, the same with its property names known only at run time, is the keyed-read floor that
 * imgmeta's targets are set against (bench/run.ts): the least a predicate compiled without code generation
 * can cost.
 */
import type { BenchImage } from "./dataset.js";

export interface BenchQuery {
  readonly id: string;
  /** imgmeta's language. */
  readonly text: string;
  /** @marcbachmann/cel-js (CEL), guarded with has() so missing keys are not errors. */
  readonly cel: string;
  /** liqe (Lucene-like). */
  readonly liqe: string;
  /** MongoDB query, for sift and mingo. */
  readonly mongo: Record<string, unknown>;
  /** filtrex. */
  readonly filtrex: string;
  /** The hand-written predicate. */
  readonly hand: (image: BenchImage) => boolean;
  /**
   * The hand-written predicate with its property names held in variables (`meta[key]`), as any predicate
   * compiled without code generation must hold them: the floor for imgmeta, which Workers forbid to `eval`.
   */
  readonly keyed: (image: BenchImage) => boolean;
}

/** A property name known only at run time (as a compiled predicate knows it), so that reads of it are keyed. */
const runtimeKey = (name: string): string => [name].join("");
const STATUS = runtimeKey("status");
const PRIORITY = runtimeKey("priority");
const RATINGS = runtimeKey("ratings");
const ENABLED = runtimeKey("enabled");
const REGION = runtimeKey("region");
const NAME = runtimeKey("name");
const CREATOR = runtimeKey("creator");
const keyedRegion = (meta: Meta): unknown => {
  const r = meta?.[REGION] as Meta;
  return typeof r === "object" && r !== null ? r[NAME] : undefined;
};

type Meta = Record<string, unknown> | null | undefined;
const region = (meta: Meta): unknown => {
  const r = meta?.region as Meta;
  return typeof r === "object" && r !== null ? r.name : undefined;
};

export const QUERIES: readonly BenchQuery[] = [
  {
    id: "Q1",
    text: 'status = "active"',
    cel: 'has(meta.status) && meta.status == "active"',
    liqe: "meta.status:active",
    mongo: { "meta.status": "active" },
    filtrex: 'status == "active"',
    hand: (image) => image.meta.status === "active",
    keyed: (image) => image.meta[STATUS] === "active",
  },
  {
    id: "Q2",
    text: 'status = "active" and priority in (4, 5)',
    cel: 'has(meta.status) && meta.status == "active" && has(meta.priority) && meta.priority in [4, 5]',
    liqe: "meta.status:active AND (meta.priority:4 OR meta.priority:5)",
    mongo: { "meta.status": "active", "meta.priority": { $in: [4, 5] } },
    filtrex: 'status == "active" and priority in (4, 5)',
    hand: (image) => {
      const meta = image.meta;
      if (meta.status !== "active") return false;
      const priority = meta.priority;
      return priority === 4 || priority === 5;
    },
    keyed: (image) => {
      const meta = image.meta;
      if (meta[STATUS] !== "active") return false;
      const priority = meta[PRIORITY];
      return priority === 4 || priority === 5;
    },
  },
  {
    id: "Q3",
    text: 'region.name = "eu-west" and enabled = true and ratings in (4, 5) and status in ("active", "pending")',
    cel: 'has(meta.region) && has(meta.region.name) && meta.region.name == "eu-west" && has(meta.enabled) && meta.enabled == true && has(meta.ratings) && meta.ratings in [4, 5] && has(meta.status) && meta.status in ["active", "pending"]',
    liqe: "meta.region.name:eu-west AND meta.enabled:true AND (meta.ratings:4 OR meta.ratings:5) AND (meta.status:active OR meta.status:pending)",
    mongo: { "meta.region.name": "eu-west", "meta.enabled": true, "meta.ratings": { $in: [4, 5] }, "meta.status": { $in: ["active", "pending"] } },
    filtrex: 'region_name == "eu-west" and enabled == true and ratings in (4, 5) and status in ("active", "pending")',
    hand: (image) => {
      const meta = image.meta;
      if (region(meta) !== "eu-west" || meta.enabled !== true) return false;
      const ratings = meta.ratings;
      if (ratings !== 4 && ratings !== 5) return false;
      const status = meta.status;
      return status === "active" || status === "pending";
    },
    keyed: (image) => {
      const meta = image.meta;
      if (keyedRegion(meta) !== "eu-west" || meta[ENABLED] !== true) return false;
      const ratings = meta[RATINGS];
      if (ratings !== 4 && ratings !== 5) return false;
      const status = meta[STATUS];
      return status === "active" || status === "pending";
    },
  },
  {
    id: "Q4",
    text: 'status in ("active", "pending", "flagged") and priority in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10) and region.name = "eu-west" and ratings >= 2 and enabled = true and creator = "user7"',
    cel: 'creator == "user7" && has(meta.status) && meta.status in ["active", "pending", "flagged"] && has(meta.priority) && meta.priority in [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] && has(meta.region) && has(meta.region.name) && meta.region.name == "eu-west" && has(meta.ratings) && type(meta.ratings) == int && meta.ratings >= 2 && has(meta.enabled) && meta.enabled == true',
    liqe: "creator:user7 AND (meta.status:active OR meta.status:pending OR meta.status:flagged) AND meta.priority:[1 TO 10] AND meta.region.name:eu-west AND meta.ratings:>=2 AND meta.enabled:true",
    mongo: { creator: "user7", "meta.status": { $in: ["active", "pending", "flagged"] }, "meta.priority": { $in: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] }, "meta.region.name": "eu-west", "meta.ratings": { $gte: 2, $type: "number" }, "meta.enabled": true },
    filtrex: 'creator == "user7" and status in ("active", "pending", "flagged") and priority in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10) and region_name == "eu-west" and ratings >= 2 and enabled == true',
    hand: (image) => {
      if (image.creator !== "user7") return false;
      const meta = image.meta;
      const status = meta.status;
      if (status !== "active" && status !== "pending" && status !== "flagged") return false;
      const priority = meta.priority;
      if (typeof priority !== "number" || !(priority >= 1 && priority <= 10 && Number.isInteger(priority))) return false;
      if (region(meta) !== "eu-west") return false;
      const ratings = meta.ratings;
      return typeof ratings === "number" && ratings >= 2 && meta.enabled === true;
    },
    keyed: (image) => {
      if ((image as unknown as Record<string, unknown>)[CREATOR] !== "user7") return false;
      const meta = image.meta;
      const status = meta[STATUS];
      if (status !== "active" && status !== "pending" && status !== "flagged") return false;
      const priority = meta[PRIORITY];
      if (typeof priority !== "number" || !(priority >= 1 && priority <= 10 && Number.isInteger(priority))) return false;
      if (keyedRegion(meta) !== "eu-west") return false;
      const ratings = meta[RATINGS];
      return typeof ratings === "number" && ratings >= 2 && meta[ENABLED] === true;
    },
  },
];
