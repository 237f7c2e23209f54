// Python string formatting over known values: str()/repr() of scalars, f-string fields with the
// common format specs (width, alignment, fill, zero padding, precision, d/f/s/x/e/%), `%`-formatting
// and str.format. Model code builds module names this way (`f"stage{i}"`, `"denselayer%d" % i`).
// Anything it cannot render exactly returns undefined, and the caller keeps the string opaque.
import type { Value } from './values';
import { fixedHalfEven } from './stdlib/numParse';

/** Python's str() of a value, or undefined when it is not a simple known value. */
export function pyStr(v: Value): string | undefined {
  switch (v.kind) {
    case 'str':
      return v.opaque ? undefined : v.v;
    case 'int':
      return String(v.v);
    case 'bool':
      return v.v ? 'True' : 'False';
    case 'none':
      return 'None';
    case 'float':
      return floatRepr(v.v);
    case 'tuple':
    case 'list': {
      // numpy prints arrays its own way (`[0 1 2]`, `array([0, 1, 2])`): not modelled.
      if (v.kind === 'list' && v.ndarray) return undefined;
      const items = v.items.map(pyRepr);
      if (items.some((i) => i === undefined)) return undefined;
      const body = items.join(', ');
      return v.kind === 'list' ? `[${body}]` : `(${body}${items.length === 1 ? ',' : ''})`;
    }
    case 'dict': {
      const items = [...v.map.values()].map(([k, x]) => [pyRepr(k), pyRepr(x)]);
      if (items.some(([k, x]) => k === undefined || x === undefined)) return undefined;
      if (v.ordered) return `OrderedDict([${items.map(([k, x]) => `(${k}, ${x})`).join(', ')}])`;
      return `{${items.map(([k, x]) => `${k}: ${x}`).join(', ')}}`;
    }
    case 'set': {
      // Several items print in hash order, which is not known statically.
      if (v.items.length > 1) return undefined;
      const item = v.items[0] ? pyRepr(v.items[0]) : undefined;
      return v.items.length === 0 ? 'set()' : item === undefined ? undefined : `{${item}}`;
    }
    case 'range':
      return v.step === 1 ? `range(${v.start}, ${v.stop})` : `range(${v.start}, ${v.stop}, ${v.step})`;
    default:
      return undefined;
  }
}

/** Python's repr() of a simple value. */
export function pyRepr(v: Value): string | undefined {
  if (v.kind === 'str') return v.opaque ? undefined : strRepr(v.v);
  return pyStr(v);
}

/** repr(str): single quotes unless the text has a single quote and no double quote; escapes as CPython. */
function strRepr(text: string): string {
  const q = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = '';
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\' || ch === q) out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${q}${out}${q}`;
}

/** repr(float): shortest round-trip digits, Python's exponent style (1e-05, 1e+16). */
function floatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (Object.is(x, -0)) return '-0.0';
  if (Number.isInteger(x) && Math.abs(x) < 1e16) return `${x}.0`;
  const abs = Math.abs(x);
  if (abs >= 1e16 || abs < 1e-4) {
    const [m, e] = x.toExponential().split('e');
    const exp = Number(e);
    return `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return String(x);
}

const SPEC = /^(?:(.)?([<>^=]))?([+\- ])?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/;

/** Formats one value with a format spec (`>5`, `03d`, `.2f`...). */
export function formatWithSpec(v: Value, spec: string): string | undefined {
  if (spec === '') return pyStr(v);
  const m = SPEC.exec(spec);
  if (!m) return undefined;
  const [, fillCh, align, sign, alt, zero, widthS, group, precS, type] = m;
  const isNum = v.kind === 'int' || v.kind === 'float' || v.kind === 'bool';
  const x = v.kind === 'bool' ? (v.v ? 1 : 0) : v.kind === 'int' || v.kind === 'float' ? v.v : NaN;
  let body: string | undefined;
  const prec = precS === undefined ? undefined : Number(precS);
  switch (type) {
    case undefined:
    case 's':
      if (isNum && type === 's') return undefined;
      // A float with a precision and no type is the general format ('g'-like), not fixed-point.
      if (isNum && prec !== undefined) return undefined;
      body = pyStr(v);
      if (body !== undefined && v.kind === 'str' && prec !== undefined) body = body.slice(0, prec);
      break;
    case 'd':
    case 'n':
      if (!isNum || !Number.isInteger(x)) return undefined;
      body = String(Math.abs(x));
      break;
    case 'f':
    case 'F':
      if (!isNum) return undefined;
      body = Number.isFinite(x) ? fixedHalfEven(Math.abs(x), prec ?? 6) : Number.isNaN(x) ? 'nan' : 'inf';
      if (type === 'F') body = body.toUpperCase();
      break;
    case 'e':
    case 'E': {
      if (!isNum) return undefined;
      const [mant, e] = Math.abs(x)
        .toExponential(prec ?? 6)
        .split('e');
      const exp = Number(e);
      body = `${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
      if (type === 'E') body = body.toUpperCase();
      break;
    }
    case '%':
      if (!isNum) return undefined;
      body = `${fixedHalfEven(Math.abs(x) * 100, prec ?? 6)}%`;
      break;
    case 'x':
    case 'X':
    case 'o':
    case 'b':
      if (!isNum || !Number.isInteger(x)) return undefined;
      body = Math.abs(x).toString(type === 'o' ? 8 : type === 'b' ? 2 : 16);
      if (type === 'X') body = body.toUpperCase();
      // The alternate form `#` adds the base prefix.
      if (alt) body = `0${type === 'o' ? 'o' : type === 'b' ? 'b' : type}${body}`;
      break;
    default:
      return undefined;
  }
  if (body === undefined) return undefined;
  if (isNum && group && type !== 'x' && type !== 'X') {
    const [ip, fp] = body.split('.');
    body = ip!.replace(/\B(?=(\d{3})+(?!\d))/g, group) + (fp !== undefined ? `.${fp}` : '');
  }
  const neg = isNum && x < 0 && !(type === undefined || type === 's') ? '-' : '';
  const signStr = neg || (isNum && sign === '+' ? '+' : isNum && sign === ' ' ? ' ' : '');
  if (isNum && (type === undefined || type === 's') && x < 0 && !body.startsWith('-')) body = `-${body}`;
  const width = widthS === undefined ? 0 : Number(widthS);
  const full = signStr + body;
  if (full.length >= width) return full;
  const fill = fillCh ?? (zero && !align ? '0' : ' ');
  const al = align ?? (zero ? '=' : isNum ? '>' : '<');
  const pad = width - full.length;
  switch (al) {
    case '<':
      return full + fill.repeat(pad);
    case '>':
      return fill.repeat(pad) + full;
    case '^':
      return fill.repeat(Math.floor(pad / 2)) + full + fill.repeat(Math.ceil(pad / 2));
    case '=':
      return signStr + fill.repeat(pad) + body;
    default:
      return undefined;
  }
}

/** `fmt % args` for %d %i %s %r %f %e %x %% with optional width/precision; undefined if not exact. */
export function percentFormat(fmt: string, args: Value): string | undefined {
  const list = args.kind === 'tuple' ? args.items : [args];
  let i = 0;
  let failed = false;
  const out = fmt.replace(
    /%([-+ 0#]*)(\d+)?(?:\.(\d+))?([diouxXeEfFgGcrsa%])/g,
    (_m, flags: string, width: string | undefined, prec: string | undefined, conv: string) => {
      if (conv === '%') return '%';
      const v = list[i++];
      if (!v) {
        failed = true;
        return '';
      }
      const spec = `${flags.includes('-') ? '<' : ''}${flags.includes('0') && !flags.includes('-') ? '0' : ''}${width ?? ''}${prec !== undefined ? `.${prec}` : ''}${conv === 'i' || conv === 'u' ? 'd' : conv === 'r' || conv === 'a' ? '' : conv === 's' ? '' : conv}`;
      const s = conv === 'r' || conv === 'a' ? pyRepr(v) : formatWithSpec(v, spec);
      if (s === undefined) failed = true;
      return s ?? '';
    },
  );
  if (failed || i !== list.length) return undefined;
  return out;
}

/** `fmt.format(*args, **kwargs)` for `{}`, `{0}`, `{name}` fields with specs; undefined if not exact. */
export function strFormat(fmt: string, args: readonly Value[], kwargs: ReadonlyMap<string, Value>): string | undefined {
  let auto = 0;
  let failed = false;
  const out = fmt.replace(
    /\{\{|\}\}|\{([^{}!:]*)(?:!([rsa]))?(?::([^{}]*))?\}/g,
    (m, field: string | undefined, conv: string | undefined, spec: string | undefined) => {
      if (m === '{{') return '{';
      if (m === '}}') return '}';
      const key = field ?? '';
      const v = key === '' ? args[auto++] : /^\d+$/.test(key) ? args[Number(key)] : kwargs.get(key);
      if (!v) {
        failed = true;
        return '';
      }
      // A conversion (`!r`, `!s`) makes a string first; the spec then formats that string.
      const converted = conv === 'r' || conv === 'a' ? pyRepr(v) : conv === 's' ? pyStr(v) : undefined;
      const s = conv
        ? converted === undefined
          ? undefined
          : formatWithSpec({ kind: 'str', v: converted }, spec ?? '')
        : formatWithSpec(v, spec ?? '');
      if (s === undefined) failed = true;
      return s ?? '';
    },
  );
  return failed ? undefined : out;
}
