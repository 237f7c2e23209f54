// The one grammar of what a Python source says to Conv Lens in comments, shared by the editor, notebooks
// (Profile this cell) and the CLI:
//   # convlens: entry DSC(16, 32)        build this expression (on or above a class/def, or anywhere)
//   # convlens: input 1x16x128x128       input shape for the entries of the class/def below (or, when not
//                                        attached to a definition, for the whole file); also written
//                                        1×16×128×128, 1, 16, 128, 128 or (1, 16, 128, 128)
// Plain text scanning of comment lines and `class`/`def` headers; it never evaluates anything.

/** Parses `1x3x224x224`, `1×3×224×224`, `1, 3, 224, 224` or `(1, 3, 224, 224)`; undefined if malformed. */
export function parseShape(text: string): number[] | undefined {
  const body = text
    .trim()
    .replace(/^[([]\s*/, '')
    .replace(/\s*,?\s*[)\]]$/, '');
  if (!body) return undefined;
  const parts = body.split(/\s*[x×,]\s*|\s+/);
  if (parts.length === 0 || parts.length > 6) return undefined;
  const dims = parts.map((p) => (/^\d+$/.test(p) ? Number(p) : NaN));
  return dims.every((d) => Number.isSafeInteger(d) && d > 0 && d <= 1_000_000) ? dims : undefined;
}

/** A top-level `class X` or `def f` and the lines its body spans (0-based, inclusive). */
export interface Definition {
  readonly kind: 'class' | 'def';
  readonly name: string;
  readonly line: number;
  readonly endLine: number;
}

export interface EntryDirective {
  readonly expr: string;
  readonly line: number;
  /** The definition the comment is on or above, if any. */
  readonly anchor?: Definition;
}

export interface InputDirective {
  readonly shape: readonly number[];
  readonly line: number;
  readonly anchor?: Definition;
}

export interface Directives {
  readonly definitions: readonly Definition[];
  readonly entries: readonly EntryDirective[];
  readonly inputs: readonly InputDirective[];
  /** Malformed `# convlens:` comments, with what is wrong. */
  readonly problems: readonly { readonly line: number; readonly message: string }[];
}

const directiveRe = /#\s*convlens:\s*(\w+)\s*(.*?)\s*$/;
const definitionRe = /^(class|def)\s+([A-Za-z_]\w*)/;
const decoratorRe = /^\s*@/;

function isBlankOrComment(text: string): boolean {
  return /^\s*(#.*)?$/.test(text);
}

/** The column where a line's `#` comment starts, ignoring `#` inside simple string literals; -1 if none. */
function commentStart(text: string): number {
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '#') {
      return i;
    }
  }
  return -1;
}

function findDefinitions(lines: readonly string[]): Definition[] {
  const defs: Definition[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = definitionRe.exec(lines[i]!);
    if (!m) continue;
    // The body runs until the next non-blank line that starts at column 0 (comments at column 0 included,
    // as Python's own tokenizer would not, but a column-0 comment between definitions belongs to the next one).
    let end = i;
    for (let j = i + 1; j < lines.length; j++) {
      const t = lines[j]!;
      if (t.trim() === '') continue;
      if (/^\S/.test(t)) break;
      end = j;
    }
    defs.push({ kind: m[1] as 'class' | 'def', name: m[2]!, line: i, endLine: end });
  }
  return defs;
}

/**
 * The definition a directive on `line` belongs to: the one on that line, or the next one below a run of
 * comments/decorators. A blank line ends the run: a comment separated from the class by one is file-level.
 */
function anchorOf(lines: readonly string[], line: number, defs: readonly Definition[]): Definition | undefined {
  const onLine = defs.find((d) => d.line === line);
  if (onLine) return onLine;
  for (let j = line + 1; j < lines.length; j++) {
    const t = lines[j]!;
    if (t.trim() === '') return undefined;
    if (isBlankOrComment(t) || decoratorRe.test(t)) continue;
    return defs.find((d) => d.line === j);
  }
  return undefined;
}

/** Scans a source's lines (split on `\n`) for `# convlens:` directives and top-level definitions. */
export function scanDirectives(lines: readonly string[]): Directives {
  const definitions = findDefinitions(lines);
  const entries: EntryDirective[] = [];
  const inputs: InputDirective[] = [];
  const problems: { line: number; message: string }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!;
    const at = commentStart(text);
    if (at < 0) continue;
    const m = directiveRe.exec(text.slice(at));
    if (!m) continue;
    const [, verb, arg] = m as unknown as [string, string, string];
    const anchor = anchorOf(lines, i, definitions);
    if (verb === 'entry') {
      if (arg) entries.push({ expr: arg, line: i, ...(anchor ? { anchor } : {}) });
      else problems.push({ line: i, message: '`# convlens: entry` needs an expression, e.g. `# convlens: entry Net()`' });
    } else if (verb === 'input') {
      const shape = parseShape(arg);
      if (shape) inputs.push({ shape, line: i, ...(anchor ? { anchor } : {}) });
      else problems.push({ line: i, message: `cannot read the input shape \`${arg}\`; write it like 1x3x224x224` });
    } else {
      problems.push({ line: i, message: `unknown directive \`convlens: ${verb}\` (known: entry, input)` });
    }
  }
  return { definitions, entries, inputs, problems };
}

/**
 * The `# convlens: input` that applies to an entry: the one on or above the definition of the first of
 * `names` that has one (the entry's own function or class, then the class it built), else a file-level one
 * (not attached to any definition).
 */
export function inputDirectiveFor(
  directives: Directives,
  names: string | readonly (string | undefined)[] | undefined,
): InputDirective | undefined {
  for (const name of typeof names === 'string' || names === undefined ? [names] : names) {
    const def = name === undefined ? undefined : directives.definitions.find((d) => d.name === name);
    const own = def && directives.inputs.find((i) => i.anchor?.line === def.line);
    if (own) return own;
  }
  return directives.inputs.find((i) => !i.anchor);
}

let lastScan: { readonly source: string; readonly directives: Directives } | undefined;

/** scanDirectives of a whole source, remembered for the last source (every entry of a file asks for the same). */
export function directivesOf(source: string): Directives {
  if (lastScan?.source !== source) lastScan = { source, directives: scanDirectives(source.split('\n')) };
  return lastScan.directives;
}

/** The `# convlens: input` shape for the entry `name` builds in `source` (see inputDirectiveFor). */
export function inputFromComment(source: string, name: string | undefined): number[] | undefined {
  const found = inputDirectiveFor(directivesOf(source), name);
  return found ? [...found.shape] : undefined;
}
