/**
 * The grammar, as a Chevrotain `EmbeddedActionsParser` that builds the typed AST directly (about twice as
 * fast as a CST plus visitor). Precedence comes from the nesting of rules, as in Chevrotain's
 * `boolean_expression` example: `or` < `and` < `not` < parentheses and conditions.
 *
 * The same grammar is written for people in `grammar/filter.ebnf`; a test keeps the two in step.
 */
import { EmbeddedActionsParser, type IOrAlt, type IParserErrorMessageProvider, type IRecognitionException, type IToken, type TokenType } from "chevrotain";
import type {
  CompareOp,
  Field,
  FilterNode,
  Literal,
  Span,
} from "./ast.js";
import * as t from "./tokens.js";
import { readNumber, unquote } from "./values.js";

/** Marks (as `token.payload`) a string or name the lexer found unterminated: read as if it were closed. */
export const UNTERMINATED: unique symbol = Symbol("unterminated");

/** A problem met while converting a token to a value (the parser itself carries on). */
export interface ValueProblem {
  readonly kind: "invalid-escape";
  readonly span: Span;
  readonly escape: string;
}

const COMPARE_OPS: ReadonlyMap<TokenType, CompareOp> = new Map([
  [t.Equals, "eq"],
  [t.EqualsEquals, "eq"],
  [t.Colon, "eq"],
  [t.NotEquals, "ne"],
  [t.Less, "lt"],
  [t.LessEquals, "lte"],
  [t.Greater, "gt"],
  [t.GreaterEquals, "gte"],
]);

/** Offsets of a real token; recovery may insert virtual tokens whose offsets are NaN. */
function tokenSpan(token: IToken): Span | undefined {
  const start = token.startOffset;
  return Number.isNaN(start) ? undefined : { start, end: start + token.image.length };
}

function joinSpans(first: Span | undefined, last: Span | undefined): Span | undefined {
  if (!first) return last;
  if (!last) return first;
  return { start: first.start, end: last.end };
}

/** The grammar's rules, by name (a parser error names the rule it was met in). */
export type RuleName = "filter" | "orExpression" | "andExpression" | "notExpression" | "condition";

/**
 * What a parser error is, as facts rather than prose, so that `messages.ts` can pick a code and write a
 * message in plain words: the kind of error, the rule, and the token types that would have fitted.
 * Chevrotain keeps only a message string per error, so the parser records the facts and the string is
 * their index (see {@link FilterParser.factsOf}).
 */
export interface ErrorFacts {
  readonly kind: "mismatch" | "no-viable" | "not-all-input" | "early-exit";
  readonly rule: RuleName;
  readonly expected: readonly TokenType[];
}

/** A message provider that records each error's facts in `recorded` and names them by index. */
function recordingFacts(recorded: ErrorFacts[]): IParserErrorMessageProvider {
  const record = (facts: ErrorFacts): string => String(recorded.push(facts) - 1);
  const firsts = (paths: readonly (readonly TokenType[])[]): TokenType[] => [...new Set(paths.map((path) => path[0]!))];
  return {
    buildMismatchTokenMessage: ({ expected, ruleName }) => record({ kind: "mismatch", rule: ruleName as RuleName, expected: [expected] }),
    buildNotAllInputParsedMessage: ({ ruleName }) => record({ kind: "not-all-input", rule: ruleName as RuleName, expected: [] }),
    buildNoViableAltMessage: ({ expectedPathsPerAlt, ruleName }) =>
      record({ kind: "no-viable", rule: ruleName as RuleName, expected: firsts(expectedPathsPerAlt.flat()) }),
    buildEarlyExitMessage: ({ expectedIterationPaths, ruleName }) =>
      record({ kind: "early-exit", rule: ruleName as RuleName, expected: firsts(expectedIterationPaths) }),
  };
}

/** Options that only the tests change: they run Chevrotain's grammar validations. */
export interface ParserSetup {
  readonly skipValidations: boolean;
}

/** The filter grammar. Use one instance for every parse (see `parse.ts`). */
export class FilterParser extends EmbeddedActionsParser {
  /** Value problems met in the current parse (reset by `reset`). */
  valueProblems: ValueProblem[] = [];
  /** The facts of the current parse's errors, in the order their messages name them. */
  private readonly recordedFacts: ErrorFacts[];

  constructor(setup: ParserSetup = { skipValidations: true }) {
    const facts: ErrorFacts[] = [];
    super(t.allTokens, {
      recoveryEnabled: true,
      maxLookahead: 1,
      skipValidations: setup.skipValidations,
      errorMessageProvider: recordingFacts(facts),
    });
    this.recordedFacts = facts;
    this.performSelfAnalysis();
  }

  override reset(): void {
    super.reset();
    if (this.valueProblems.length > 0) this.valueProblems = [];
    // Emptied in place: the message provider holds this very array.
    if (this.recordedFacts?.length > 0) this.recordedFacts.length = 0;
  }

  /** The facts of one of the current parse's errors. */
  factsOf(error: IRecognitionException): ErrorFacts {
    return this.recordedFacts[Number(error.message)]!;
  }

  /** filter = [ orExpression ] ; */
  filter = this.RULE("filter" satisfies RuleName, (): FilterNode | undefined => this.OPTION(() => this.SUBRULE(this.orExpression)));

  /** orExpression = andExpression { orOperator andExpression } ; */
  orExpression = this.RULE("orExpression" satisfies RuleName, (): FilterNode | undefined => {
    const operands: (FilterNode | undefined)[] = [this.SUBRULE(this.andExpression)];
    this.MANY(() => {
      this.CONSUME(t.OrOperator);
      operands.push(this.SUBRULE2(this.andExpression));
    });
    return this.ACTION(() => junction("or", operands));
  });

  /** andExpression = notExpression { andOperator notExpression } ; */
  andExpression = this.RULE("andExpression" satisfies RuleName, (): FilterNode | undefined => {
    const operands: (FilterNode | undefined)[] = [this.SUBRULE(this.notExpression)];
    this.MANY(() => {
      this.CONSUME(t.AndOperator);
      operands.push(this.SUBRULE2(this.notExpression));
    });
    return this.ACTION(() => junction("and", operands));
  });

  /**
   * notExpression = { notOperator } ( "(" orExpression ")" | condition ) ;
   * (`not`s are a loop, not recursion: deep `not`s cost no stack)
   */
  notExpression = this.RULE("notExpression" satisfies RuleName, (): FilterNode | undefined => {
    const nots: IToken[] = [];
    this.MANY(() => {
      nots.push(this.CONSUME(t.NotOperator));
    });
    const operand = this.OR(
      (this.operandAlternatives ??= [
        {
          ALT: () => {
            this.CONSUME(t.LParen);
            const inner = this.SUBRULE(this.orExpression);
            this.CONSUME(t.RParen);
            return inner;
          },
        },
        { ALT: () => this.SUBRULE(this.condition) },
      ]),
    );
    return this.ACTION(() => {
      let node = operand;
      for (let i = nots.length - 1; i >= 0 && node; i--) {
        node = { type: "not", operand: node, span: joinSpans(tokenSpan(nots[i]!), node.span)! };
      }
      return node;
    });
  });

  // Alternatives built once and reused (they capture nothing but `this`): Chevrotain's own advice.
  private operandAlternatives: IOrAlt<FilterNode | undefined>[] | undefined;
  private conditionAlternatives: IOrAlt<ConditionTail>[] | undefined;

  /**
   * condition = segment { "." segment }
   *             ( comparisonOperator value | [ "not" ] "in" "(" value { "," value } ")" ) ;
   * (the path is part of the rule: a rule of its own costs a call per condition)
   */
  condition = this.RULE("condition" satisfies RuleName, (): FilterNode | undefined => {
    const segments: IToken[] = [this.CONSUME(t.Segment)];
    this.MANY(() => {
      this.CONSUME(t.Dot);
      segments.push(this.CONSUME2(t.Segment));
    });
    const tail = this.OR(
      (this.conditionAlternatives ??= [
        {
          ALT: (): ConditionTail => {
            const operator = this.CONSUME(t.CompareOperator);
            return { operator, values: [this.CONSUME(t.Value)] };
          },
        },
        {
          ALT: (): ConditionTail => {
            const not = this.OPTION(() => this.CONSUME(t.Not));
            this.CONSUME(t.In);
            this.CONSUME(t.LParen);
            const values = [this.CONSUME3(t.Value)];
            this.MANY2(() => {
              this.CONSUME(t.Comma);
              values.push(this.CONSUME4(t.Value));
            });
            return { not, values, close: this.CONSUME(t.RParen) };
          },
        },
      ]),
    );
    return this.ACTION(() => this.toCondition(this.toField(segments), tail));
  });

  private toCondition(field: Field | undefined, tail: ConditionTail | undefined): FilterNode | undefined {
    if (!field || !tail) return undefined;
    const values = tail.values.map((token) => this.toLiteral(token)).filter((v): v is Literal => v !== undefined);
    if (values.length === 0) return undefined;
    if (tail.operator) {
      const value = values[0]!;
      return {
        type: "compare",
        op: COMPARE_OPS.get(tail.operator.tokenType) ?? "eq",
        field,
        value,
        span: joinSpans(field.span, value.span)!,
      };
    }
    return {
      type: "in",
      field,
      values,
      negated: tail.not !== undefined,
      span: joinSpans(field.span, (tail.close && tokenSpan(tail.close)) ?? values.at(-1)!.span)!,
    };
  }

  private toField(tokens: readonly IToken[]): Field {
    const path: string[] = [];
    const segmentSpans: Span[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i]!;
      const span = tokenSpan(token);
      if (!span) continue; // a segment inserted by recovery
      path.push(token.tokenType === t.QuotedName ? this.text(token, span) : token.image);
      segmentSpans.push(span);
    }
    const count = path.length;
    const span = joinSpans(segmentSpans[0], segmentSpans[count - 1]);
    // A leading bare `meta.` is optional; the bare path `creator` is the image's creator.
    const first = tokens[0]!;
    if (first.tokenType === t.Identifier) {
      if (count > 1 && first.image === "meta") {
        path.shift();
        segmentSpans.shift();
      } else if (count === 1 && first.image === "creator") {
        return span ? { type: "creator", span } : { type: "creator" };
      }
    }
    // Written out, not `{ ...field, span }`: this runs once per condition, and a spread is slow in V8 (see `withSpan`).
    return span ? { type: "meta", path, segmentSpans, span } : { type: "meta", path, segmentSpans };
  }

  private toLiteral(token: IToken): Literal | undefined {
    const span = tokenSpan(token);
    if (!span) return undefined; // inserted by recovery
    switch (token.tokenType) {
      case t.NumberLiteral:
        return { value: readNumber(token.image), span };
      case t.True:
        return { value: true, span };
      case t.False:
        return { value: false, span };
      case t.StringLiteral:
        return { value: this.text(token, span), span };
      default:
        return { value: token.image, span };
    }
  }

  /** The value of a quoted string or name, closing it first if the lexer found it unterminated. */
  private text(token: IToken, span: Span): string {
    let image = token.image;
    if (token.payload === UNTERMINATED) image = image.replace(/\\$/, "") + image[0];
    const result = unquote(image);
    if (result.ok) return result.value;
    this.valueProblems.push({
      kind: "invalid-escape",
      escape: result.escape,
      span: { start: span.start + result.start, end: span.start + result.end },
    });
    return image.slice(1, -1);
  }
}

/** What follows the path of a condition: an operator and a value, or an `in` list. */
interface ConditionTail {
  readonly operator?: IToken;
  readonly not?: IToken | undefined;
  readonly values: readonly IToken[];
  readonly close?: IToken;
}

function junction(type: "and" | "or", operands: readonly (FilterNode | undefined)[]): FilterNode | undefined {
  const present = operands.filter((node): node is FilterNode => node !== undefined);
  if (present.length <= 1) return present[0];
  const span = joinSpans(present[0]!.span, present.at(-1)!.span);
  return span ? { type, operands: present, span } : { type, operands: present };
}

let shared: FilterParser | undefined;

/** The one parser instance every parse reuses (built on first use: a new one costs milliseconds). */
export function sharedParser(): FilterParser {
  shared ??= new FilterParser();
  return shared;
}
