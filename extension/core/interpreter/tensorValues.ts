// Tensors whose element values are known: small integer/float tensors that model code computes
// while building (RegNet's `torch.arange(depth) * w_a + w_0` widths, `torch.linspace` drop-path
// rates, relative-position tables). Values follow torch's dtype rules (int64 stays integer, float
// results are rounded to float32 after each op) so `.int().tolist()` gives what PyTorch gives.
// Shapes and everything else stay with the forward model (forward.ts and its files); this file is arithmetic on flat arrays only.
import type { Shape } from '../resultTypes';

export type Dtype = 'int' | 'float' | 'bool';

/** The most elements a value tensor may hold; bigger tensors keep only their shape. */
export const MAX_VALUE_ELEMENTS = 65_536;

export interface Values {
  readonly values: readonly number[];
  readonly dtype: Dtype;
}

const f32 = Math.fround;

export function cast(v: readonly number[], dtype: Dtype): number[] {
  if (dtype === 'int') return v.map((x) => Math.trunc(x));
  if (dtype === 'bool') return v.map((x) => (x !== 0 ? 1 : 0));
  return v.map(f32);
}

/** Result dtype of a binary op (torch's type promotion for int64/float32/bool and Python scalars). */
export function promote(op: string, a: Dtype, b: Dtype): Dtype {
  if (op === '/') return 'float';
  if (a === 'float' || b === 'float') return 'float';
  if (['<', '>', '<=', '>=', '==', '!='].includes(op)) return 'bool';
  return 'int';
}

/** Element-wise binary op with broadcasting between equal lengths or a single element. */
export function binaryValues(op: string, a: Values, b: Values): Values | undefined {
  const n = Math.max(a.values.length, b.values.length);
  if (a.values.length !== n && a.values.length !== 1) return undefined;
  if (b.values.length !== n && b.values.length !== 1) return undefined;
  const dtype = promote(op, a.dtype, b.dtype);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a.values[a.values.length === 1 ? 0 : i]!,
      y = b.values[b.values.length === 1 ? 0 : i]!;
    let r: number;
    switch (op) {
      case '+':
        r = x + y;
        break;
      case '-':
        r = x - y;
        break;
      case '*':
        r = x * y;
        break;
      case '/':
        r = x / y;
        break;
      case '//':
        r = Math.floor(x / y);
        break;
      case '%':
        r = ((x % y) + y) % y;
        break;
      case '**':
        r = x ** y;
        break;
      case '<':
        r = x < y ? 1 : 0;
        break;
      case '>':
        r = x > y ? 1 : 0;
        break;
      case '<=':
        r = x <= y ? 1 : 0;
        break;
      case '>=':
        r = x >= y ? 1 : 0;
        break;
      case '==':
        r = x === y ? 1 : 0;
        break;
      case '!=':
        r = x !== y ? 1 : 0;
        break;
      default:
        return undefined;
    }
    out.push(r);
  }
  return { values: cast(out, dtype), dtype };
}

/** torch's rounding: half to even (torch.round), like numpy. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

const UNARY: Record<string, (x: number) => number> = {
  log: Math.log,
  log2: Math.log2,
  log10: Math.log10,
  exp: Math.exp,
  sqrt: Math.sqrt,
  abs: Math.abs,
  neg: (x) => -x,
  round: roundHalfEven,
  floor: Math.floor,
  ceil: Math.ceil,
  sign: Math.sign,
  rsqrt: (x) => 1 / Math.sqrt(x),
  sin: Math.sin,
  cos: Math.cos,
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  tanh: Math.tanh,
  relu: (x) => Math.max(0, x),
};

/** A unary math op; integer inputs of float ops (log, exp, sqrt...) become float as in torch. */
export function unaryValues(name: string, a: Values): Values | undefined {
  const fn = UNARY[name];
  if (!fn) return undefined;
  const keepsInt = ['abs', 'neg', 'sign', 'relu', 'round', 'floor', 'ceil'].includes(name);
  const dtype: Dtype = a.dtype === 'float' || !keepsInt ? 'float' : a.dtype;
  return { values: cast(a.values.map(fn), dtype), dtype };
}

/** torch.clamp(a, min, max): a float bound makes an integer tensor float, as torch's type promotion does. */
export function clampValues(a: Values, min: number | undefined, max: number | undefined, floatBound: boolean): Values {
  const dtype: Dtype = a.dtype === 'float' || floatBound ? 'float' : a.dtype;
  const out = a.values.map((x) => Math.min(max ?? Infinity, Math.max(min ?? -Infinity, x)));
  return { values: cast(out, dtype), dtype };
}

/** torch.arange(start, end, step): int64 when all arguments are integers, else float32. */
export function arange(start: number, end: number, step: number, forceFloat: boolean): Values | undefined {
  if (step === 0) return undefined;
  const n = Math.max(0, Math.ceil((end - start) / step));
  if (n > MAX_VALUE_ELEMENTS) return undefined;
  const isInt = !forceFloat && [start, end, step].every(Number.isInteger);
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(start + i * step);
  return { values: cast(out, isInt ? 'int' : 'float'), dtype: isInt ? 'int' : 'float' };
}

/** torch.linspace(start, end, steps): float32. */
export function linspace(start: number, end: number, steps: number): Values | undefined {
  if (steps < 0 || steps > MAX_VALUE_ELEMENTS) return undefined;
  if (steps === 1) return { values: [f32(start)], dtype: 'float' };
  const step = (end - start) / (steps - 1);
  // torch computes the second half from the end so the last value is exactly `end`.
  const out: number[] = [];
  const half = Math.floor(steps / 2);
  for (let i = 0; i < steps; i++) out.push(i < half ? start + step * i : end - step * (steps - i - 1));
  return { values: cast(out, 'float'), dtype: 'float' };
}

/** The shape of a value tensor built from nested lists, or undefined if ragged. */
export function nestedShape(shape: Shape, values: readonly number[]): boolean {
  const n = shape.reduce<number>((a, d) => a * (d ?? NaN), 1);
  return Number.isFinite(n) && n === values.length;
}
