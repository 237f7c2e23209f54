// Between interpreter values and the JSON a layer spec reads: a call's arguments as hyperparameters
// (unknown parts say why), and stored hyperparameters back as attributes (`conv.kernel_size` is a tuple).
import type { JsonValue } from '../resultTypes';
import type { ArgValue } from '../torch';
import { NONE, bool, int, str, tuple, dict, typeName, type Value } from './values';
import type { Interpreter } from './eval';

/** Converts an interpreter value to JSON for hyperparameters; unknown parts give `known: false`. */
export function toArg(interp: Interpreter, v: Value): ArgValue {
  const f = interp.force(v);
  switch (f.kind) {
    case 'int':
      return { known: true, value: f.v };
    // A Python float stays marked: 64/2 is 32.0, and torch rejects it as a size where an int 32 passes.
    case 'float':
      return { known: true, value: f.v, float: true };
    case 'bool':
      return { known: true, value: f.v };
    case 'none':
      return { known: true, value: null };
    case 'str':
      return f.opaque ? { known: false, reason: 'an f-string' } : { known: true, value: f.v };
    case 'tuple':
    case 'list': {
      const out: JsonValue[] = [];
      const floats: boolean[] = [];
      for (const it of f.items) {
        const a = toArg(interp, it);
        if (!a.known) return a;
        out.push(a.value);
        floats.push(a.float === true);
      }
      return floats.includes(true) ? { known: true, value: out, float: floats } : { known: true, value: out };
    }
    case 'unknown':
      return { known: false, reason: f.reason };
    case 'function':
    case 'builtin':
    case 'class':
    case 'partial':
    case 'bound':
      return { known: true, value: `<${typeName(f)} ${'name' in f ? f.name : ''}>`.replace(' >', '>') };
    case 'instance':
      return { known: true, value: `<${f.cls.name}>` };
    default:
      return { known: false, reason: `a ${typeName(f)} value` };
  }
}

/** Converts JSON back into an interpreter value (torch attributes like `conv.kernel_size` are tuples). */
export function fromJson(v: JsonValue): Value {
  if (v === null) return NONE;
  if (typeof v === 'boolean') return bool(v);
  if (typeof v === 'number') return Number.isInteger(v) ? int(v) : { kind: 'float', v };
  if (typeof v === 'string') return str(v);
  if (Array.isArray(v)) return tuple(v.map(fromJson));
  return dict(Object.entries(v).map(([k, x]) => [str(k), fromJson(x)] as [Value, Value]));
}
