/**
 * Figure: predicate cost per record over 100,000 records. `predicate.ts Q2 sift` measures one query with
 * the subjects named (default: all) in this process; `bench/run.ts` names one subject a process, so that
 * its call sites are monomorphic. `predicate.ts poly` compiles every query first and measures them in turn
 * (polymorphic call sites), for imgmeta and the hand-written predicates. `predicate.ts held-out` does the
 * same for Q1–Q3 on the held-out dataset (bench/dataset.ts `heldOutDataset`: other key orders, hundreds of
 * hidden classes, nested objects of several shapes, arrays and strings where objects are expected).
 */
import * as cel from "@marcbachmann/cel-js";
import { compileExpression } from "filtrex";
import { Query } from "mingo";
import siftModule from "sift";
import { lib } from "../lib.js";
import { dataset, heldOutDataset, type BenchImage } from "../dataset.js";
import { emit, time, type Row } from "../harness.js";
import { QUERIES, type BenchQuery } from "../queries.js";

const { toPredicate } = lib;

const mode = process.argv[2] ?? "Q1";
const images = mode === "held-out" ? heldOutDataset() : dataset();

function scan(predicate: (image: BenchImage) => unknown): () => number {
  return () => {
    let matched = 0;
    for (let i = 0; i < images.length; i++) if (predicate(images[i]!)) matched++;
    return matched;
  };
}

function filtrexPredicate(q: BenchQuery): (image: BenchImage) => unknown {
  const compiled = compileExpression(q.filtrex, {
    customProp: (name: string, _get: unknown, image: BenchImage) =>
      name === "creator" ? image.creator : name === "region_name" ? (image.meta.region as { name?: unknown } | undefined)?.name : image.meta[name],
  });
  return (image) => compiled(image) === true;
}

function celPredicate(q: BenchQuery): (image: BenchImage) => unknown {
  const evaluate = cel.parse(q.cel);
  return (image) => {
    try {
      return evaluate(image as unknown as Record<string, unknown>) === true;
    } catch {
      return false;
    }
  };
}

const subjects: Record<string, (q: BenchQuery) => (image: BenchImage) => unknown> = {
  imgmeta: (q) => toPredicate(q.text),
  "hand-written": (q) => q.hand,
  "hand-written (keyed reads)": (q) => q.keyed,
  sift: (q) => {
    // sift's default export is the function (its typings describe the module).
    const sift = siftModule as unknown as (query: unknown) => (image: unknown) => boolean;
    return sift(q.mongo);
  },
  mingo: (q) => {
    const query = new Query(q.mongo);
    return (image) => query.test(image as unknown as Record<string, unknown>);
  },
  "cel-js": celPredicate,
  filtrex: filtrexPredicate,
};

const rows: Row[] = [];
if (mode === "poly" || mode === "held-out") {
  // Every query compiled and run before measuring: the call sites inside imgmeta see every shape.
  const figure = mode === "poly" ? "predicate, polymorphic" : "predicate, held-out dataset, Q1–Q3 in one process";
  const queries = mode === "poly" ? QUERIES : QUERIES.filter((q) => q.id !== "Q4");
  const compiled = queries.map((q) => ({ q, ours: scan(toPredicate(q.text)), hand: scan(q.hand), keyed: scan(q.keyed) }));
  const expected = compiled.map(({ hand }) => hand());
  compiled.forEach(({ ours, keyed }, i) => {
    for (const run of [ours, keyed]) if (run() !== expected[i]) throw new Error(`${queries[i]!.id}: a subject disagrees with the hand-written predicate`);
  });
  for (const { q, ours, hand, keyed } of compiled) {
    for (const [subject, run] of [["imgmeta", ours], ["hand-written", hand], ["hand-written (keyed reads)", keyed]] as const) {
      const t = await time(run, 600, { clock: "cpu" });
      rows.push({ figure, subject, query: q.id, median: t.median / images.length, p25: t.p25 / images.length, p75: t.p75 / images.length, unit: "ns/record" });
    }
  }
} else {
  // `predicate.ts Q2 imgmeta,hand-written`: the subjects measured in this process (default: all).
  const wanted = process.argv[3]?.split(",");
  const q = QUERIES.find((query) => query.id === mode)!;
  const expected = scan(q.hand)();
  for (const [subject, make] of Object.entries(subjects).filter(([name]) => !wanted || wanted.includes(name))) {
    const run = scan(make(q));
    const matched = run();
    const t = await time(run, subject === "imgmeta" || subject.startsWith("hand-written") ? 600 : 300, { clock: "cpu" });
    const note = matched === expected ? undefined : `matched ${matched}, the hand-written predicate ${expected}`;
    rows.push({ figure: "predicate, alone", subject, query: q.id, median: t.median / images.length, p25: t.p25 / images.length, p75: t.p75 / images.length, unit: "ns/record", ...(note && { note }) });
  }
}
emit(rows);
