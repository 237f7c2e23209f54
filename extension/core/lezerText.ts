// Rewrites Python source, character for character, into text @lezer/python tokenizes the way CPython's
// tokenizer does. Every offset is preserved (same length, same line breaks except the BOM), so the tree
// Lezer builds over the rewrite is read against the original text. This file only scans tokens: it
// does not parse, and it changes nothing CPython and Lezer already agree on.
//
// What differs (facts from CPython's tokenizer, checked by test/unit/parseConformance.test.ts):
// - A decimal literal's trailing dot belongs to the number: `0. else`, `1.if`, `(0.)`, `1.*x`, `1.e-3`,
//   `1.j`, `1..real` (float `1.` then `.real`). Lezer's Number needs a digit after the dot, so it reads
//   `0. else` as attribute access. The dot is rewritten to a `0` (`00 else`, `10e-3`), which keeps the
//   token in one piece; parse.ts reads the literal's value from the original text, where the dot is.
// - A UTF-8 byte-order mark at the start of the file is not part of the source (CPython decodes with
//   utf-8-sig); Lezer would read U+FEFF as an identifier character. It becomes a blank line.
// - A bare `yield` (no value: `yield` alone on a line, `(yield)`, `x = yield`): Lezer's grammar wants a
//   value after the keyword. It becomes the name `Yield`; parse.ts turns a name whose original text
//   is `yield` into the same uninterpreted node as any other yield.
// - A form feed outside strings is whitespace to CPython (and resets the indentation count); Lezer
//   reads a line holding only a form feed as an error. It becomes a space.

const enum Ch {
  Dot = 46,
  Zero = 48,
  Nine = 57,
  Underscore = 95,
  Hash = 35,
  Quote = 39,
  DQuote = 34,
  Newline = 10,
  Cr = 13,
  Backslash = 92,
  BraceL = 123,
  BraceR = 125,
  ParenL = 40,
  ParenR = 41,
  BracketL = 91,
  BracketR = 93,
  Colon = 58,
  Bang = 33,
  Eq = 61,
  FormFeed = 12,
}

const isDigit = (c: number) => c >= Ch.Zero && c <= Ch.Nine;
const isIdentStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === Ch.Underscore || c >= 0xa1;
const isIdentChar = (c: number) => isIdentStart(c) || isDigit(c);
/** What may follow a `yield` that has no value: the end of its statement or of its brackets. */
const BARE_YIELD_END = /[ \t]*(?:$|[\r\n;#)\]}]|\\\r?\n[ \t]*[\r\n;#)\]}])/y;
const bareYieldEnd = (text: string, pos: number) => {
  BARE_YIELD_END.lastIndex = pos;
  return BARE_YIELD_END.test(text);
};
const STRING_PREFIX = /^(?:[rRuUbBfF]|[rR][bBfF]|[bBfF][rR])$/;

/**
 * The text to give @lezer/python for `text`: the same length, with the differences above rewritten.
 * Returns `text` itself when nothing needs rewriting (the common case costs one scan).
 */
export function lezerText(text: string): string {
  const scan = new Scanner(text);
  scan.code(0, text.length, false);
  if (!scan.rewrites.length && text.charCodeAt(0) !== 0xfeff) return text;
  const chars = text.split('');
  if (text.charCodeAt(0) === 0xfeff) chars[0] = '\n';
  for (const r of scan.rewrites) chars[r.at] = r.ch;
  return chars.join('');
}

class Scanner {
  /** Offsets and replacement characters (each keeps the length). */
  readonly rewrites: { at: number; ch: string }[] = [];

  constructor(private readonly text: string) {}

  /**
   * Scans code from `pos`. In a replacement field of an f-string (`inField`), stops at the `}` that
   * closes it or at the `:`/`!` that starts its format spec or conversion (bracket depth 0).
   */
  code(pos: number, end: number, inField: boolean): number {
    const t = this.text;
    let depth = 0;
    while (pos < end) {
      const c = t.charCodeAt(pos);
      if (c === Ch.Hash) {
        while (pos < end && t.charCodeAt(pos) !== Ch.Newline && t.charCodeAt(pos) !== Ch.Cr) pos++;
      } else if (c === Ch.Quote || c === Ch.DQuote) {
        pos = this.string(pos, '', end);
      } else if (isIdentStart(c)) {
        const start = pos;
        while (pos < end && isIdentChar(t.charCodeAt(pos))) pos++;
        const q = t.charCodeAt(pos);
        if ((q === Ch.Quote || q === Ch.DQuote) && STRING_PREFIX.test(t.slice(start, pos)))
          pos = this.string(pos, t.slice(start, pos), end);
        else if (pos - start === 5 && t.startsWith('yield', start) && bareYieldEnd(t, pos)) this.rewrites.push({ at: start, ch: 'Y' });
      } else if (c === Ch.FormFeed) {
        this.rewrites.push({ at: pos, ch: ' ' });
        pos++;
      } else if (isDigit(c) || (c === Ch.Dot && isDigit(t.charCodeAt(pos + 1)))) {
        pos = this.number(pos, end);
      } else {
        if (inField) {
          if (c === Ch.ParenL || c === Ch.BracketL || c === Ch.BraceL) depth++;
          else if (c === Ch.ParenR || c === Ch.BracketR || (c === Ch.BraceR && depth > 0)) depth--;
          else if (depth === 0 && (c === Ch.BraceR || c === Ch.Colon || (c === Ch.Bang && t.charCodeAt(pos + 1) !== Ch.Eq))) return pos;
        }
        pos++;
      }
    }
    return pos;
  }

  /** One numeric literal from `pos` (a digit, or a dot before a digit); returns the offset after it. */
  private number(pos: number, end: number): number {
    const t = this.text;
    const digits = () => {
      while (pos < end && (isDigit(t.charCodeAt(pos)) || t.charCodeAt(pos) === Ch.Underscore)) pos++;
    };
    if (t.charCodeAt(pos) === Ch.Zero && /[xXoObB]/.test(t[pos + 1] ?? '')) {
      // Hexadecimal, octal and binary integers never take a dot.
      pos += 2;
      while (pos < end && /[0-9a-fA-F_]/.test(t[pos]!)) pos++;
      return pos;
    }
    digits();
    if (t.charCodeAt(pos) === Ch.Dot) {
      // CPython's tokenizer takes the dot into the literal whatever follows it.
      if (!isDigit(t.charCodeAt(pos + 1)) && pos > 0 && isDigit(t.charCodeAt(pos - 1))) this.rewrites.push({ at: pos, ch: '0' });
      pos++;
      digits();
    }
    if (/[eE]/.test(t[pos] ?? '')) {
      const sign = /[+-]/.test(t[pos + 1] ?? '') ? 1 : 0;
      if (isDigit(t.charCodeAt(pos + 1 + sign))) {
        pos += 1 + sign;
        digits();
      }
    }
    if (/[jJ]/.test(t[pos] ?? '')) pos++;
    return pos;
  }

  /** A string literal whose quote is at `pos`; scans the replacement fields of f-strings as code. */
  private string(pos: number, prefix: string, end: number): number {
    const t = this.text;
    const quoteChar = t[pos]!;
    const triple = t.startsWith(quoteChar.repeat(3), pos);
    const quote = triple ? quoteChar.repeat(3) : quoteChar;
    const fstring = /[fF]/.test(prefix);
    pos += quote.length;
    while (pos < end) {
      const c = t.charCodeAt(pos);
      if (c === Ch.Backslash) {
        pos += 2; // Even a raw string does not end at an escaped quote.
      } else if (t.startsWith(quote, pos)) {
        return pos + quote.length;
      } else if (!triple && (c === Ch.Newline || c === Ch.Cr)) {
        return pos; // Unterminated: CPython reports it; the scan goes on at the next line.
      } else if (fstring && c === Ch.BraceL) {
        if (t.charCodeAt(pos + 1) === Ch.BraceL) pos += 2;
        else pos = this.field(pos + 1, end, quote);
      } else {
        pos++;
      }
    }
    return pos;
  }

  /** A replacement field of an f-string after its `{`: the expression, then a conversion and a format spec. */
  private field(pos: number, end: number, quote: string): number {
    const t = this.text;
    const stop = this.closingQuote(pos, end, quote);
    pos = this.code(pos, stop, true);
    // A conversion (`!r`) or a format spec (`:>{width}`): the spec may hold nested fields.
    while (pos < stop && t.charCodeAt(pos) !== Ch.BraceR) {
      if (t.charCodeAt(pos) === Ch.BraceL) pos = this.field(pos + 1, stop, quote);
      else pos++;
    }
    return pos < stop ? pos + 1 : pos;
  }

  /** Where the enclosing string's quote ends the field at the latest (a bound for malformed fields). */
  private closingQuote(pos: number, end: number, quote: string): number {
    const at = this.text.indexOf(quote, pos);
    return at < 0 || at > end ? end : at;
  }
}
