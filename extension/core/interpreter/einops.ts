// einops (rearrange, repeat, reduce and the Rearrange/Reduce layers): a library that restoration and
// compression models import and whose source is usually absent. Facts about its patterns, modelled as
// shapes: `'b (h w) c -> b c h w'` with h=... splits and permutes axes; a group multiplies its axes.
// Nothing is counted: einops reshapes, permutes and tiles (no multiply-accumulates; ptflops patches none of it).
import { NONE, builtin, dict, str, unknown, isUnknown, isNumber, numberOf, type ClassV, type Value } from './values';
import type { Interpreter } from './eval';
import type { TorchModel } from './torch';

type Dim = number | null;
/** One side of a pattern: its groups (an axis is a group of one), `...` as the group ['...']. */
type Side = string[][];

function parseSide(text: string): Side | undefined {
  const out: Side = [];
  let group: string[] | undefined;
  for (const tok of text.match(/\.\.\.|\(|\)|[A-Za-z_][A-Za-z0-9_]*|\d+|\S/g) ?? []) {
    if (tok === '(') {
      if (group) return undefined;
      group = [];
    } else if (tok === ')') {
      if (!group) return undefined;
      out.push(group);
      group = undefined;
    } else if (!/^(\.\.\.|[A-Za-z_][A-Za-z0-9_]*|\d+)$/.test(tok)) return undefined;
    else if (group) group.push(tok);
    else out.push([tok]);
  }
  return group ? undefined : out;
}

/** The output shape of an einops pattern on `shape`, or a message saying why it does not apply. */
export function einopsShape(
  pattern: string,
  shape: readonly Dim[],
  lengths: ReadonlyMap<string, number>,
  op: 'rearrange' | 'repeat' | 'reduce',
): Dim[] | string {
  const [l, r] = pattern.split('->');
  const left = l !== undefined ? parseSide(l) : undefined;
  const right = r !== undefined ? parseSide(r) : undefined;
  if (!left || !right) return `einops pattern '${pattern}' is not of the form 'left -> right'`;
  const size = new Map<string, Dim>([...lengths]);
  const ell = left.findIndex((g) => g.includes('...'));
  const fixed = left.length - (ell >= 0 ? 1 : 0);
  if (ell < 0 ? shape.length !== fixed : shape.length < fixed)
    return `einops pattern '${l!.trim()}' does not match a tensor of ${shape.length} dimensions`;
  const ellDims = ell >= 0 ? shape.slice(ell, ell + shape.length - fixed) : [];
  left.forEach((g, gi) => {
    if (gi === ell) return;
    const d = shape[gi < ell || ell < 0 ? gi : gi + ellDims.length - 1] ?? null;
    const known = g.filter((a) => /^\d+$/.test(a) || size.has(a));
    const rest = g.filter((a) => !known.includes(a));
    const prod = known.reduce<Dim>(
      (p, a) => (p === null ? null : /^\d+$/.test(a) ? p * Number(a) : size.get(a) === null ? null : p * (size.get(a) as number)),
      1,
    );
    if (rest.length === 1) size.set(rest[0]!, d === null || prod === null ? null : d / prod);
    else for (const a of rest) size.set(a, null);
  });
  const out: Dim[] = [];
  for (const g of right) {
    if (g.includes('...')) {
      if (g.length === 1) out.push(...ellDims);
      else out.push(null);
      continue;
    }
    let p: Dim = 1;
    for (const a of g) {
      const s = /^\d+$/.test(a) ? Number(a) : size.get(a);
      if (s === undefined)
        return op === 'repeat'
          ? `einops.repeat: the length of new axis '${a}' is not given`
          : `einops: axis '${a}' is not on the left of '${pattern}'`;
      p = p === null || s === null ? null : p * s;
    }
    out.push(p);
  }
  return out;
}

/** The einops modules' entries: the functions, and the torch layers (parameter-free modules). */
export function einopsEntries(interp: Interpreter, torch: TorchModel): Map<string, Value> {
  const f = (v: Value) => interp.force(v);
  const apply = (
    op: 'rearrange' | 'repeat' | 'reduce',
    x: Value,
    pattern: Value,
    kwargs: ReadonlyMap<string, Value>,
    range?: Parameters<typeof unknown>[1],
  ): Value => {
    const t = f(x);
    const p = f(pattern);
    if (isUnknown(t)) return t;
    if (t.kind !== 'tensor') return unknown(`einops.${op} of a value that is not a tensor`, range);
    if (p.kind !== 'str' || p.opaque) return unknown(`einops.${op} with a pattern that cannot be known`, range);
    const lengths = new Map<string, number>();
    for (const [k, v] of kwargs) {
      if (k === 'reduction') continue;
      const n = f(v);
      if (!isNumber(n)) return unknown(`einops.${op}: the length of axis '${k}' cannot be known`, range);
      lengths.set(k, numberOf(n));
    }
    const out = einopsShape(p.v, t.shape, lengths, op);
    return typeof out === 'string' ? interp.raise('RuntimeError', out, range) : { kind: 'tensor', shape: out };
  };
  const fn = (op: 'rearrange' | 'repeat' | 'reduce') =>
    builtin(`einops.${op}`, (c, site) =>
      apply(op, c.args[0] ?? c.kwargs.get('tensor') ?? NONE, c.args[1] ?? c.kwargs.get('pattern') ?? NONE, c.kwargs, site.range),
    );
  const layer = (name: 'Rearrange' | 'Reduce', op: 'rearrange' | 'reduce'): ClassV => {
    const cls: ClassV = {
      kind: 'class',
      name,
      qualname: name,
      bases: [torch.moduleClass],
      mro: [],
      torch: { type: 'module' },
      attrs: new Map<string, Value>([
        [
          '__init__',
          builtin(`${name}.__init__`, (c, site) => {
            const self = f(c.args[0] ?? NONE);
            interp.setAttr(self, 'pattern', c.args[1] ?? c.kwargs.get('pattern') ?? NONE, site);
            const axes = new Map([...c.kwargs].filter(([k]) => k !== 'pattern' && k !== 'reduction'));
            interp.setAttr(self, '_axes_lengths', dict([...axes].map(([k, v]) => [str(k), v] as [Value, Value])), site);
            return NONE;
          }),
        ],
        [
          'forward',
          builtin(`${name}.forward`, (c, site) => {
            const self = f(c.args[0] ?? NONE);
            const axes = f(interp.getAttr(self, '_axes_lengths', site));
            const kw = new Map<string, Value>(
              axes.kind === 'dict' ? [...axes.map.values()].map(([k, v]) => [(k as { v: string }).v, v]) : [],
            );
            return apply(op, c.args[1] ?? NONE, interp.getAttr(self, 'pattern', site), kw, site.range);
          }),
        ],
      ]),
    };
    cls.mro = [cls, ...torch.moduleClass.mro];
    return cls;
  };
  return new Map<string, Value>([
    ['rearrange', fn('rearrange')],
    ['repeat', fn('repeat')],
    ['reduce', fn('reduce')],
    ['Rearrange', layer('Rearrange', 'rearrange')],
    ['Reduce', layer('Reduce', 'reduce')],
  ]);
}
