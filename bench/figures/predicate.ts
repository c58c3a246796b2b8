/**
 * Figure: predicate cost per record over 100,000 records. `predicate.ts Q2 sift` measures one query with
 * the subjects named (default: all) in this process; `bench/run.ts` names one subject a process, so that
 * its call sites are monomorphic. `predicate.ts poly` compiles every query first and measures them in turn
 * (polymorphic call sites), for imgmeta and the hand-written predicates.
 */
import * as cel from "@marcbachmann/cel-js";
import { compileExpression } from "filtrex";
import { Query } from "mingo";
import siftModule from "sift";
import { lib } from "../lib.js";
import { dataset, type BenchImage } from "../dataset.js";
import { emit, time, type Row } from "../harness.js";
import { QUERIES, type BenchQuery } from "../queries.js";

const { toPredicate } = lib;

const images = dataset();
const mode = process.argv[2] ?? "Q1";

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
if (mode === "poly") {
  // Every query compiled and run before measuring: the call sites inside imgmeta see every shape.
  const compiled = QUERIES.map((q) => ({ q, ours: scan(toPredicate(q.text)), hand: scan(q.hand), keyed: scan(q.keyed) }));
  for (const { ours, hand, keyed } of compiled) {
    ours();
    hand();
    keyed();
  }
  for (const { q, ours, hand, keyed } of compiled) {
    for (const [subject, run] of [["imgmeta", ours], ["hand-written", hand], ["hand-written (keyed reads)", keyed]] as const) {
      const t = await time(run, 600);
      rows.push({ figure: "predicate, polymorphic", subject, query: q.id, median: t.median / images.length, p25: t.p25 / images.length, p75: t.p75 / images.length, unit: "ns/record" });
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
    const t = await time(run, subject === "imgmeta" || subject.startsWith("hand-written") ? 600 : 300);
    const note = matched === expected ? undefined : `matched ${matched}, the hand-written predicate ${expected}`;
    rows.push({ figure: "predicate, alone", subject, query: q.id, median: t.median / images.length, p25: t.p25 / images.length, p75: t.p75 / images.length, unit: "ns/record", ...(note && { note }) });
  }
}
emit(rows);
