/**
 * The watch query language (Lucene-like) and its parser.
 *
 *   belarus               a word (whole word, case/diacritic-insensitive)
 *   "belt and road"       a phrase;  "xi belarus"~10  the words within 10 of each other
 *   chin*                 a prefix;  title:belarus / text:belarus  one field only
 *   a AND b, a b          both;  a OR b  either;  NOT a, -a  veto;  ( ) grouping
 *
 * Precedence: NOT binds tightest, then AND (explicit or implicit), then OR.
 * `parseQuery` never throws: bad input gives `{ ok: false, error: { message, position } }`.
 */
import { buf, dictOrScratch, scan } from "./tokenize.ts";

/** Where a term may match. */
export type Field = "any" | "title" | "text";

/** One token of a query term, already folded. */
export interface QueryToken {
  key: string;
  /** `chin*`: matches any token whose key starts with `key`. */
  prefix: boolean;
  /** A character of a no-space script (CJK...). */
  sub: boolean;
  /** Written directly after the previous token with nothing between (CJK runs: must be contiguous in the text too). */
  glued: boolean;
}

export interface TermNode {
  type: "term";
  field: Field;
  tokens: QueryToken[];
  /** Written in quotes. */
  phrase: boolean;
  /** `"a b"~N`: the parts may appear in any order with at most N other tokens between them. */
  slop: number | null;
  /** Offsets of the term in the query string. */
  start: number;
  end: number;
}
export interface AndNode {
  type: "and";
  children: Query[];
}
export interface OrNode {
  type: "or";
  children: Query[];
}
export interface NotNode {
  type: "not";
  child: Query;
}
/** A parsed query. */
export type Query = TermNode | AndNode | OrNode | NotNode;

/** A syntax error; `position` is a 0-based UTF-16 offset into the query string. */
export interface QueryError {
  message: string;
  position: number;
}
/** `terms`: how many words and CJK runs the query has (`countTerms`; what quotas count). */
export type ParseResult =
  | { ok: true; query: Query; terms: number }
  | { ok: false; error: QueryError };

/** Longest query accepted, in UTF-16 units. */
export const MAX_QUERY_LENGTH = 2000;
const MAX_DEPTH = 32;
const MAX_TERMS = 100;
const MAX_SLOP = 1000;

type Lex =
  | { t: "("; pos: number }
  | { t: ")"; pos: number }
  | { t: "AND"; pos: number; text: string }
  | { t: "OR"; pos: number; text: string }
  | { t: "NOT"; pos: number; text: string }
  | { t: "PLUS"; pos: number }
  | { t: "FIELD"; pos: number; name: Field; text: string }
  | { t: "TERM"; pos: number; node: TermNode }
  | { t: "EOF"; pos: number };

class ParseError extends Error {
  position: number;
  constructor(message: string, position: number) {
    super(message);
    this.position = position;
  }
}

const FIELDS: Record<string, Field> = { title: "title", text: "text" };
const OPEN_QUOTES = new Set(['"', "“", "„", "«"]);
const CLOSE_QUOTES = new Set(['"', "”", "“", "»"]);
const RE_SPACE = /\s/u;

function isSpace(ch: string): boolean {
  const c = ch.charCodeAt(0);
  if (c < 128) return c === 32 || (c >= 9 && c <= 13);
  return RE_SPACE.test(ch);
}

function isWordEnd(ch: string): boolean {
  const c = ch.charCodeAt(0);
  if (c < 128) return c === 32 || (c >= 9 && c <= 13) || c === 40 || c === 41 || c === 34;
  return RE_SPACE.test(ch) || OPEN_QUOTES.has(ch) || CLOSE_QUOTES.has(ch);
}

/** Builds query tokens from a span of the query; `*` right after a token marks it a prefix. */
function termTokens(src: string, from: number, to: number, allowStar: boolean): QueryToken[] {
  const span = src.slice(from, to);
  const dict = dictOrScratch();
  const n = scan(span, dict);
  const out: QueryToken[] = [];
  for (let i = 0; i < n; i++) {
    const start = buf.starts[i] as number;
    const end = buf.ends[i] as number;
    const sub = buf.subs[i] === 1;
    const prevEnd = i > 0 ? (buf.ends[i - 1] as number) : -1;
    const prevSub = i > 0 && buf.subs[i - 1] === 1;
    const star = allowStar && span[end] === "*";
    const key = dict.keys[buf.ids[i] as number] as string;
    if (star && !sub && key.length < 2) {
      throw new ParseError("a prefix needs at least 2 letters before '*'", from + end);
    }
    out.push({ key, prefix: star && !sub, sub, glued: sub && prevSub && prevEnd === start });
  }
  return out;
}

function lex(src: string): Lex[] {
  const out: Lex[] = [];
  const n = src.length;
  let i = 0;
  let terms = 0;
  const pushTerm = (node: TermNode) => {
    terms++;
    if (terms > MAX_TERMS)
      throw new ParseError(`too many terms (at most ${MAX_TERMS})`, node.start);
    out.push({ t: "TERM", pos: node.start, node });
  };
  while (i < n) {
    const ch = src[i] as string;
    if (isSpace(ch)) {
      i++;
      continue;
    }
    if (ch === "(" || ch === ")") {
      out.push({ t: ch, pos: i });
      i++;
      continue;
    }
    if (CLOSE_QUOTES.has(ch) && !OPEN_QUOTES.has(ch)) {
      throw new ParseError("closing quote without an opening quote", i);
    }
    if (OPEN_QUOTES.has(ch)) {
      let j = i + 1;
      while (j < n && !CLOSE_QUOTES.has(src[j] as string)) j++;
      if (j >= n) throw new ParseError("unterminated phrase: missing closing quote", i);
      const tokens = termTokens(src, i + 1, j, true);
      if (tokens.length === 0) throw new ParseError("empty phrase", i);
      let end = j + 1;
      let slop: number | null = null;
      if (src[end] === "~") {
        let k = end + 1;
        while (k < n && /[0-9]/.test(src[k] as string)) k++;
        if (k === end + 1) throw new ParseError("expected a number after '~'", end);
        slop = Number(src.slice(end + 1, k));
        if (slop > MAX_SLOP) throw new ParseError(`proximity is at most ${MAX_SLOP}`, end + 1);
        end = k;
      }
      if (end < n && !isWordEnd(src[end] as string)) {
        throw new ParseError("expected a space after the phrase", end);
      }
      pushTerm({ type: "term", field: "any", tokens, phrase: true, slop, start: i, end });
      i = end;
      continue;
    }
    if ((ch === "-" || ch === "!" || ch === "+") && i + 1 <= n) {
      const next = src[i + 1];
      if (next === undefined || isSpace(next) || next === ")") {
        throw new ParseError(`'${ch}' must be followed directly by a term`, i);
      }
      out.push(ch === "+" ? { t: "PLUS", pos: i } : { t: "NOT", pos: i, text: ch });
      i++;
      continue;
    }
    if (ch === "&" && src[i + 1] === "&") {
      out.push({ t: "AND", pos: i, text: "&&" });
      i += 2;
      continue;
    }
    if (ch === "|" && src[i + 1] === "|") {
      out.push({ t: "OR", pos: i, text: "||" });
      i += 2;
      continue;
    }
    // A word, possibly `field:` first.
    let j = i;
    while (j < n && !isWordEnd(src[j] as string)) j++;
    const word = src.slice(i, j);
    const fm = /^([A-Za-z]+):/.exec(word);
    if (fm) {
      const name = (fm[1] as string).toLowerCase();
      const field = FIELDS[name];
      if (!field) throw new ParseError(`unknown field '${fm[1]}' (fields: title, text)`, i);
      const after = i + (fm[0] as string).length;
      const next = src[after];
      if (next === undefined || isSpace(next) || next === ")") {
        throw new ParseError(`'${fm[0]}' must be followed directly by a term`, i);
      }
      out.push({ t: "FIELD", pos: i, name: field, text: fm[0] as string });
      i = after;
      continue;
    }
    if (word === "AND" || word === "OR" || word === "NOT") {
      out.push({ t: word, pos: i, text: word });
      i = j;
      continue;
    }
    const tilde = word.indexOf("~");
    if (tilde >= 0) {
      throw new ParseError("'~' is only allowed after a quoted phrase", i + tilde);
    }
    const star = word.indexOf("*");
    if (star >= 0 && star !== word.length - 1) {
      throw new ParseError("'*' is only allowed at the end of a word", i + star);
    }
    if (star === 0) throw new ParseError("'*' needs at least 2 letters before it", i);
    const tokens = termTokens(src, i, j, true);
    if (tokens.length === 0) throw new ParseError(`'${word}' has no letters or digits`, i);
    if (
      star >= 0 &&
      tokens[tokens.length - 1]?.prefix !== true &&
      tokens[tokens.length - 1]?.sub !== true
    ) {
      throw new ParseError("'*' must follow a letter or digit", i + star);
    }
    pushTerm({ type: "term", field: "any", tokens, phrase: false, slop: null, start: i, end: j });
    i = j;
  }
  out.push({ t: "EOF", pos: n });
  return out;
}

function startsUnary(l: Lex): boolean {
  return l.t === "TERM" || l.t === "(" || l.t === "NOT" || l.t === "PLUS" || l.t === "FIELD";
}

function describe(l: Lex): string {
  switch (l.t) {
    case "EOF":
      return "the end of the query";
    case "AND":
    case "OR":
    case "NOT":
      return `'${l.text}'`;
    case "FIELD":
      return `'${l.text}'`;
    case "PLUS":
      return "'+'";
    case "TERM":
      return "a term";
    default:
      return `'${l.t}'`;
  }
}

class Parser {
  lx: Lex[];
  i = 0;
  constructor(lx: Lex[]) {
    this.lx = lx;
  }
  peek(): Lex {
    return this.lx[this.i] as Lex;
  }
  next(): Lex {
    return this.lx[this.i++] as Lex;
  }

  parseOr(field: Field, depth: number): Query {
    if (depth > MAX_DEPTH) throw new ParseError("query is nested too deeply", this.peek().pos);
    const first = this.peek();
    if (first.t === "AND" || first.t === "OR") {
      throw new ParseError(`'${first.text}' needs a term on both sides`, first.pos);
    }
    const children: Query[] = [this.parseAnd(field, depth)];
    while (this.peek().t === "OR") {
      const op = this.next() as { pos: number; text: string };
      const nx = this.peek();
      if (!startsUnary(nx)) {
        throw new ParseError(`'${op.text}' needs a term on both sides`, op.pos);
      }
      children.push(this.parseAnd(field, depth));
    }
    return flatten("or", children);
  }

  parseAnd(field: Field, depth: number): Query {
    const children: Query[] = [this.parseUnary(field, depth)];
    for (;;) {
      const p = this.peek();
      if (p.t === "AND") {
        this.next();
        if (!startsUnary(this.peek())) {
          throw new ParseError(`'${p.text}' needs a term on both sides`, p.pos);
        }
        children.push(this.parseUnary(field, depth));
      } else if (startsUnary(p)) {
        children.push(this.parseUnary(field, depth));
      } else {
        break;
      }
    }
    return flatten("and", children);
  }

  parseUnary(field: Field, depth: number): Query {
    if (depth > MAX_DEPTH) throw new ParseError("query is nested too deeply", this.peek().pos);
    const l = this.peek();
    if (l.t === "NOT") {
      this.next();
      if (!startsUnary(this.peek())) {
        throw new ParseError(`'${l.text}' must be followed by a term`, l.pos);
      }
      const child = this.parseUnary(field, depth + 1);
      return child.type === "not" ? child.child : { type: "not", child };
    }
    if (l.t === "PLUS") {
      this.next();
      return this.parseUnary(field, depth + 1);
    }
    if (l.t === "FIELD") {
      this.next();
      const nx = this.peek();
      if (nx.t !== "TERM" && nx.t !== "(") {
        throw new ParseError(`'${l.text}' must be followed by a term, a phrase or '('`, l.pos);
      }
      return this.parsePrimary(l.name, depth + 1);
    }
    return this.parsePrimary(field, depth + 1);
  }

  parsePrimary(field: Field, depth: number): Query {
    const l = this.next();
    if (l.t === "TERM") {
      return field === "any" ? l.node : { ...l.node, field };
    }
    if (l.t === "(") {
      if (this.peek().t === ")") throw new ParseError("empty parentheses", this.peek().pos);
      const inner = this.parseOr(field, depth + 1);
      const close = this.peek();
      if (close.t !== ")") {
        if (close.t === "EOF") throw new ParseError("unbalanced '(': missing ')'", l.pos);
        throw new ParseError(`expected ')' but found ${describe(close)}`, close.pos);
      }
      this.next();
      return inner;
    }
    if (l.t === ")") throw new ParseError("unbalanced ')': no matching '('", l.pos);
    if (l.t === "EOF") throw new ParseError("expected a term but the query ended", l.pos);
    throw new ParseError(`expected a term but found ${describe(l)}`, l.pos);
  }
}

function flatten(type: "and" | "or", children: Query[]): Query {
  if (children.length === 1) return children[0] as Query;
  const out: Query[] = [];
  for (const c of children) {
    if (c.type === type) out.push(...c.children);
    else out.push(c);
  }
  return { type, children: out };
}

/** Parses a watch query. Never throws. */
export function parseQuery(source: string): ParseResult {
  try {
    if (typeof source !== "string")
      return { ok: false, error: { message: "query must be a string", position: 0 } };
    if (source.length > MAX_QUERY_LENGTH) {
      return {
        ok: false,
        error: {
          message: `query is too long (at most ${MAX_QUERY_LENGTH} characters)`,
          position: MAX_QUERY_LENGTH,
        },
      };
    }
    const lx = lex(source);
    if (lx.length === 1) return { ok: false, error: { message: "empty query", position: 0 } };
    const p = new Parser(lx);
    const q = p.parseOr("any", 0);
    const rest = p.peek();
    if (rest.t !== "EOF") {
      if (rest.t === ")") {
        return {
          ok: false,
          error: { message: "unbalanced ')': no matching '('", position: rest.pos },
        };
      }
      return { ok: false, error: { message: `unexpected ${describe(rest)}`, position: rest.pos } };
    }
    return { ok: true, query: q, terms: countTerms(q) };
  } catch (e) {
    if (e instanceof ParseError)
      return { ok: false, error: { message: e.message, position: e.position } };
    return { ok: false, error: { message: "could not parse the query", position: 0 } };
  }
}

/** True when the query can match without any positive term present (e.g. `-football`). */
export function isPurelyNegative(q: Query): boolean {
  switch (q.type) {
    case "term":
      return false;
    case "not":
      return true;
    case "and":
      return q.children.every(isPurelyNegative);
    case "or":
      return q.children.some(isPurelyNegative);
  }
}

/**
 * Words and CJK runs in a parsed query, each word of a phrase counted (`"belt and road"`
 * is 3, `白俄罗斯` is 1): what a query costs to evaluate grows with this, not with the
 * number of quoted terms.
 */
export function countTerms(q: Query): number {
  switch (q.type) {
    case "term": {
      let n = 0;
      for (const t of q.tokens) if (!t.glued) n++;
      return n;
    }
    case "not":
      return countTerms(q.child);
    case "and":
    case "or": {
      let n = 0;
      for (const c of q.children) n += countTerms(c);
      return n;
    }
  }
}
