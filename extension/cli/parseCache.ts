// The CLI's on-disk cache of parsed files: what the core keeps of a file's lazy parse (core/topLevel.ts
// lazySourceToStore: its top-level statements and the JSON of every AST a run parsed), so a later run over the
// same text reads JSON instead of running @lezer/python (most of a warm run's time otherwise).
// One file per source text, `<folder>/parse-<bundle key>/<crc32>-<length>.ast` (folders: cacheFolders.ts), keyed by
// the text's content and by the build of the bundle (a rebuild starts a new folder and drops the old ones). A
// cache file holds the text it was made from and is used only for exactly that text, so an edited file is parsed
// again, whatever its size or modification time. It carries a CRC-32 of itself: a damaged or truncated file is
// ignored (and replaced). Nothing here can fail a run: a cache that cannot be read or written means parsing as
// without it. CONVLENS_PARSE_CACHE=0 turns it off.
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import type { StoredSource } from '../core/hostTypes';
import { bundleKey, cacheFolders, removeQuietly } from './cacheFolders';

/** The core's side (core/topLevel.ts), passed in so that this file does not load the engine. */
export interface ParseStoreCore {
  restoreLazySource(text: string, stored: StoredSource): boolean;
  lazySourceToStore(text: string): StoredSource | undefined;
}

const crc32 = (zlib as { crc32?: (data: Uint8Array | string) => number }).crc32;
/** Files kept per folder; beyond it the oldest are removed when one is written. */
const MAX_FILES = 400;

interface Header {
  /** Text length, then per statement [from, to, defines?]; null when the file runs whole. */
  n: number;
  s: [number, number, string?][] | null;
  b: string[][];
  l: number[];
  /** Per statement: the length of its AST's JSON and of its body's, -1 for none. */
  a: number[];
  d: number[];
  f: number;
}

export class ParseCache {
  private readonly texts = new Set<string>();

  private constructor(
    private readonly folders: readonly string[],
    private readonly core: ParseStoreCore,
  ) {}

  /** The cache for the bundle at `bundle`; undefined when it is turned off or cannot be keyed. */
  static open(bundle: string, core: ParseStoreCore): ParseCache | undefined {
    if (process.env.CONVLENS_PARSE_CACHE === '0' || typeof crc32 !== 'function') return undefined;
    const key = bundleKey(bundle);
    if (!key) return undefined;
    return new ParseCache(
      cacheFolders(path.dirname(bundle)).map((dir) => path.join(dir, `parse-${key}`)),
      core,
    );
  }

  /** Gives the core what is kept for `text`, if anything; `save` will store what the run adds. */
  restore(text: string): void {
    if (this.texts.has(text)) return;
    this.texts.add(text);
    const name = fileName(text);
    for (const dir of this.folders) {
      let file: Buffer;
      try {
        file = fs.readFileSync(path.join(dir, name));
      } catch {
        continue; // absent or unreadable: try the next place
      }
      const stored = decode(file);
      try {
        if (stored && this.core.restoreLazySource(text, stored)) return;
      } catch {
        // not of the form the core keeps: parsed as without a cache
      }
    }
  }

  /** Writes what this run parsed and the cache does not hold yet. */
  save(): void {
    for (const text of this.texts) {
      let stored: StoredSource | undefined;
      try {
        stored = this.core.lazySourceToStore(text);
      } catch {
        continue;
      }
      if (stored) this.write(fileName(text), encode(stored));
    }
  }

  /** To the first folder that takes it, atomically (a reader never sees half a file). */
  private write(name: string, data: Buffer): void {
    for (const dir of this.folders) {
      const p = path.join(dir, name);
      const tmp = `${p}.${process.pid}.tmp`;
      const created = !fs.existsSync(dir);
      try {
        fs.mkdirSync(dir, { recursive: true });
        fs.writeFileSync(tmp, data);
        fs.renameSync(tmp, p);
      } catch {
        removeQuietly(tmp);
        continue;
      }
      try {
        tidy(dir, created);
      } catch {
        // a folder left untidy is still correct
      }
      return;
    }
  }
}

function fileName(text: string): string {
  return `${(crc32!(text) >>> 0).toString(16).padStart(8, '0')}-${text.length.toString(16)}.ast`;
}

/** Four bytes of CRC-32 over the rest: a header line of JSON, then the text, the ASTs' JSON and the bodies', back to back. */
export function encode(s: StoredSource): Buffer {
  const lengths = (xs: readonly (string | null)[]) => xs.map((x) => (x === null ? -1 : x.length));
  const header: Header = {
    f: s.format,
    n: s.text.length,
    s: s.statements && s.statements.map((st) => (st.defines === undefined ? [st.from, st.to] : [st.from, st.to, st.defines])),
    b: s.binds.map((b) => [...b]),
    l: [...s.lineStarts],
    a: lengths(s.asts),
    d: lengths(s.bodies),
  };
  const payload = Buffer.from(
    [JSON.stringify(header), '\n', s.text, ...s.asts.filter((x) => x !== null), ...s.bodies.filter((x) => x !== null)].join(''),
    'utf8',
  );
  const sum = Buffer.alloc(4);
  sum.writeUInt32LE(crc32!(payload) >>> 0);
  return Buffer.concat([sum, payload]);
}

/** The stored parse in `file`, or undefined when it is damaged or not of this form (the core checks the rest). */
export function decode(file: Buffer): StoredSource | undefined {
  if (file.length < 4) return undefined;
  const payload = file.subarray(4);
  if (file.readUInt32LE(0) !== crc32!(payload) >>> 0) return undefined;
  try {
    const all = payload.toString('utf8');
    const nl = all.indexOf('\n');
    const h = JSON.parse(all.slice(0, nl)) as Header;
    let at = nl + 1;
    const take = (n: number): string => {
      if (!Number.isInteger(n) || n < 0 || at + n > all.length) throw new Error('truncated');
      const s = all.slice(at, at + n);
      at += n;
      return s;
    };
    const text = take(h.n);
    const chunks = (lengths: number[]) => lengths.map((n) => (n === -1 ? null : take(n)));
    const asts = chunks(h.a);
    const bodies = chunks(h.d);
    if (at !== all.length) return undefined;
    return {
      format: h.f,
      text,
      statements: h.s && h.s.map(([from, to, defines]) => (defines === undefined ? { from, to } : { from, to, defines })),
      binds: h.b,
      lineStarts: h.l,
      asts,
      bodies,
    };
  } catch {
    return undefined;
  }
}

/** Bounds a folder: drops the oldest files beyond MAX_FILES and, in a folder just made, the other builds' folders. */
function tidy(dir: string, created: boolean): void {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.ast'));
  if (files.length > MAX_FILES) {
    const byAge = files
      .map((f) => ({ f, t: fs.statSync(path.join(dir, f)).mtimeMs }))
      .sort((x, y) => x.t - y.t)
      .slice(0, files.length - MAX_FILES);
    for (const { f } of byAge) fs.rmSync(path.join(dir, f), { force: true });
  }
  if (!created) return;
  const parent = path.dirname(dir);
  for (const f of fs.readdirSync(parent)) {
    if (/^parse-[0-9a-z_-]+$/.test(f) && f !== path.basename(dir)) fs.rmSync(path.join(parent, f), { recursive: true, force: true });
  }
}
