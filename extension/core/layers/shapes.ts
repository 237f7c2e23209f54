// Output-shape rules of the catalog layers, keyed by the `shapeRule` names in catalog.ts, following
// the "Shape" sections of the torch.nn docs (conv and pooling with stride/padding/dilation/ceil_mode,
// 'same'/'valid' padding, adaptive pooling, upsample by size or scale, pixel shuffle, flatten, linear
// on N-D input, recurrent layers). A rule returns the output shape or an error in PyTorch's words;
// a null dimension stays null. It knows nothing about costs.
import type { JsonValue, Shape } from '../model';
import { convOutputSize, convTransposeOutputSize } from '../convMath';

type Hyper = Readonly<Record<string, JsonValue>>;
type Dim = number | null;

/** The result of a shape rule: one tensor shape, several outputs (a tuple), or an error. */
export type ShapeResult =
  | { readonly ok: true; readonly shape: Shape }
  | { readonly ok: true; readonly tuple: readonly (Shape | readonly Shape[])[] }
  | { readonly ok: false; readonly error: string };

const ok = (shape: Shape): ShapeResult => ({ ok: true, shape });
const err = (error: string): ShapeResult => ({ ok: false, error });

const num = (h: Hyper, k: string): number => h[k] as number;
const tup = (h: Hyper, k: string, n: number): number[] => {
  const v = h[k];
  if (typeof v === 'number') return Array(n).fill(v);
  if (Array.isArray(v)) return v.length === 1 && n > 1 ? Array(n).fill(v[0]) : (v as number[]);
  return Array(n).fill(0);
};
const map = (d: Dim, f: (x: number) => number): Dim => (d === null ? null : f(d));
const prodDims = (ds: readonly Dim[]): Dim => (ds.some((d) => d === null) ? null : (ds as number[]).reduce((a, b) => a * b, 1));

/** Number of spatial dims of a layer from its name (Conv2d → 2); 0 for rank-agnostic layers. */
function spatialRank(type: string): number {
  const m = /([123])d$/.exec(type);
  return m ? Number(m[1]) : 0;
}

function channelsFirst(type: string, input: Shape, expectChannels: number | undefined): ShapeResult | { batch: Dim[]; c: Dim; spatial: Dim[] } {
  const nd = spatialRank(type);
  // torch accepts batched (N, C, *) and unbatched (C, *) inputs for conv and pooling.
  if (input.length !== nd + 2 && input.length !== nd + 1) {
    return err(`Expected ${nd + 1}D (unbatched) or ${nd + 2}D (batched) input to ${type}, but got input of size: [${input.map((d) => d ?? '?').join(', ')}]`);
  }
  const batch = input.length === nd + 2 ? [input[0]!] : [];
  const c = input[batch.length]!;
  if (expectChannels !== undefined && c !== null && c !== expectChannels) {
    return err(`${type}: expected input with ${expectChannels} channels, but got ${c} channels`);
  }
  return { batch, c, spatial: input.slice(batch.length + 1) as Dim[] };
}

function poolOut(n: Dim, k: number, s: number, p: number, d: number, ceil: boolean): Dim {
  if (n === null) return null;
  // torch's pooling_output_shape: with ceil_mode the last window must start inside the input or left padding.
  const span = d * (k - 1) + 1;
  let out = Math.floor((n + 2 * p - span + (ceil ? s - 1 : 0)) / s) + 1;
  if (ceil && (out - 1) * s >= n + p) out--;
  return out;
}

export function inferLayerShape(rule: string, type: string, h: Hyper, inputs: readonly Shape[]): ShapeResult {
  const x = inputs[0];
  if (!x) return err(`${type}.forward() missing its input`);
  const nd = spatialRank(type);
  switch (rule) {
    case 'same':
      return ok(x);
    case 'conv':
    case 'convTranspose': {
      const parts = channelsFirst(type, x, num(h, 'in_channels'));
      if ('ok' in parts) return parts;
      const k = tup(h, 'kernel_size', nd), s = tup(h, 'stride', nd), d = tup(h, 'dilation', nd);
      const pad = h['padding'];
      let spatial: Dim[];
      if (rule === 'convTranspose') {
        const p = tup(h, 'padding', nd), op = tup(h, 'output_padding', nd);
        spatial = parts.spatial.map((n, i) => map(n, (v) => convTransposeOutputSize(v, k[i]!, s[i]!, p[i]!, d[i]!, op[i]!)));
      } else if (pad === 'same') spatial = parts.spatial;
      else {
        const p = pad === 'valid' ? Array(nd).fill(0) : tup(h, 'padding', nd);
        for (let i = 0; i < nd; i++) {
          const n = parts.spatial[i];
          if (n !== null && n !== undefined && n + 2 * p[i]! < d[i]! * (k[i]! - 1) + 1) {
            const padded = parts.spatial.map((m, j) => (m === null ? '?' : m + 2 * p[j]!));
            const span = k.map((kk, j) => d[j]! * (kk - 1) + 1);
            return err(`Calculated padded input size per channel: (${padded.join(' x ')}). Kernel size: (${span.join(' x ')}). Kernel size can't be greater than actual input size`);
          }
        }
        spatial = parts.spatial.map((n, i) => map(n, (v) => convOutputSize(v, k[i]!, s[i]!, p[i]!, d[i]!)));
      }
      if (spatial.some((v) => v !== null && v < 1)) {
        return err(`Given input size per channel: (${parts.spatial.join(' x ')}). Calculated output size per channel: (${spatial.join(' x ')}). Output size is too small`);
      }
      return ok([...parts.batch, num(h, 'out_channels'), ...spatial]);
    }
    case 'maxPool':
    case 'avgPool':
    case 'lpPool': {
      const parts = channelsFirst(type, x, undefined);
      if ('ok' in parts) return parts;
      const k = tup(h, 'kernel_size', nd), s = tup(h, 'stride', nd);
      const p = rule === 'lpPool' ? Array(nd).fill(0) : tup(h, 'padding', nd);
      const d = rule === 'maxPool' ? tup(h, 'dilation', nd) : Array(nd).fill(1);
      const ceil = h['ceil_mode'] === true;
      for (let i = 0; i < nd; i++) if (p[i]! > k[i]! / 2) return err(`pad should be at most half of effective kernel size, but got pad=${p[i]}, kernel_size=${k[i]} and dilation=${d[i]}`);
      const spatial = parts.spatial.map((n, i) => poolOut(n, k[i]!, s[i]!, p[i]!, d[i]!, ceil));
      if (spatial.some((v) => v !== null && v < 1)) return err(`Given input size: (${[parts.c, ...parts.spatial].join('x')}). Calculated output size: (${[parts.c, ...spatial].join('x')}). Output size is too small`);
      return ok([...parts.batch, parts.c, ...spatial]);
    }
    case 'adaptivePool': {
      const parts = channelsFirst(type, x, undefined);
      if ('ok' in parts) return parts;
      const o = h['output_size'];
      const outs = typeof o === 'number' ? Array(nd).fill(o) : Array.isArray(o) ? o : [];
      // `None` in output_size keeps that input dimension.
      const spatial = parts.spatial.map((n, i) => (outs[i] === null || outs[i] === undefined ? n : (outs[i] as number)));
      return ok([...parts.batch, parts.c, ...spatial]);
    }
    case 'linear': {
      const inF = num(h, 'in_features');
      const last = x[x.length - 1];
      if (last !== null && last !== undefined && last !== inF) {
        return err(`mat1 and mat2 shapes cannot be multiplied (${prodDims(x.slice(0, -1)) ?? '?'}x${last} and ${inF}x${num(h, 'out_features')})`);
      }
      return ok([...x.slice(0, -1), num(h, 'out_features')]);
    }
    case 'bilinear':
      return ok([...x.slice(0, -1), num(h, 'out_features')]);
    case 'embedding':
      return ok([...x, num(h, 'embedding_dim')]);
    case 'flatten': {
      const r = x.length;
      const start = norm(num(h, 'start_dim'), r), end = norm(num(h, 'end_dim'), r);
      if (r === 0) return ok([1]);
      return ok([...x.slice(0, start), prodDims(x.slice(start, end + 1)), ...x.slice(end + 1)]);
    }
    case 'unflatten': {
      const dim = norm(num(h, 'dim'), x.length);
      const sizes = (h['unflattened_size'] as number[]) ?? [];
      return ok([...x.slice(0, dim), ...sizes, ...x.slice(dim + 1)]);
    }
    case 'upsample': {
      const nsp = x.length - 2;
      if (nsp < 1) return err(`Upsample expects a (N, C, *) input, got ${x.length}-D`);
      const size = h['size'], scale = h['scale_factor'];
      if (size !== null && size !== undefined) {
        const sz = typeof size === 'number' ? Array(nsp).fill(size) : (size as number[]);
        return ok([x[0]!, x[1]!, ...sz]);
      }
      if (scale === null || scale === undefined) return err('either size or scale_factor should be defined');
      const sc = typeof scale === 'number' ? Array(nsp).fill(scale) : (scale as number[]);
      return ok([x[0]!, x[1]!, ...x.slice(2).map((n, i) => map(n, (v) => Math.floor(v * sc[i]!)))]);
    }
    case 'pixelShuffle': {
      const r = num(h, 'upscale_factor');
      const [nb, c, hh, ww] = x.slice(-4).length === 4 ? x.slice(-4) : [null, ...x.slice(-3)];
      if (c !== null && c !== undefined && c % (r * r) !== 0) return err(`pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of upscale_factor, but input.size(-3)=${c} is not divisible by ${r * r}`);
      return ok([...(x.length === 4 ? [nb ?? null] : x.slice(0, -3)), map(c ?? null, (v) => v / (r * r)), map(hh ?? null, (v) => v * r), map(ww ?? null, (v) => v * r)]);
    }
    case 'unfold': {
      // torch.nn.functional.unfold: 4-D input [N, C, H, W] only → [N, C·kh·kw, L], L the number of windows.
      if (x.length !== 4) return err(`Input Error: Only 4D input Tensors are supported (got ${x.length}D)`);
      const two = (k: string, d: number): [number, number] => {
        const v = h[k] ?? d;
        return Array.isArray(v) ? [Number(v[0]), Number(v[1])] : [Number(v), Number(v)];
      };
      const [k, dil, pad, st] = [two('kernel_size', 1), two('dilation', 1), two('padding', 0), two('stride', 1)];
      const blocks = [x[2]!, x[3]!].map((n, i) => map(n, (v) => Math.floor((v + 2 * pad[i]! - dil[i]! * (k[i]! - 1) - 1) / st[i]!) + 1));
      if (blocks.some((b) => b !== null && b <= 0)) return err('Given input with spatial size too small for the unfold kernel: the number of blocks would be non-positive');
      const L = blocks[0] === null || blocks[1] === null ? null : blocks[0]! * blocks[1]!;
      return ok([x[0]!, map(x[1]!, (c) => c * k[0]! * k[1]!), L]);
    }
    case 'pixelUnshuffle': {
      const r = num(h, 'downscale_factor');
      const lead = x.slice(0, -3);
      const [c, hh, ww] = x.slice(-3);
      return ok([...lead, map(c ?? null, (v) => v * r * r), map(hh ?? null, (v) => v / r), map(ww ?? null, (v) => v / r)]);
    }
    case 'pad': {
      const p = h['padding'] as number[];
      const out = [...x];
      // Padding pairs run from the last dimension backwards: (left, right, top, bottom, front, back).
      for (let i = 0; i < p.length / 2; i++) {
        const dim = out.length - 1 - i;
        out[dim] = map(out[dim] ?? null, (v) => v + p[2 * i]! + p[2 * i + 1]!);
      }
      return ok(out);
    }
    case 'mha': {
      // (query, key, value): output has query's shape with embed_dim; weights (N, L, S) averaged over heads.
      const q = x, k = inputs[1] ?? x;
      const batchFirst = h['batch_first'] === true;
      const e = num(h, 'embed_dim');
      const out = [...q.slice(0, -1), e];
      const [L, N] = batchFirst ? [q[1] ?? null, q[0] ?? null] : [q[0] ?? null, q[1] ?? null];
      const S = batchFirst ? k[1] ?? null : k[0] ?? null;
      return { ok: true, tuple: [out, q.length === 3 ? [N, L, S] : [L, S]] };
    }
    case 'rnn': {
      const batchFirst = h['batch_first'] === true;
      const dirs = h['bidirectional'] === true ? 2 : 1;
      const hidden = num(h, 'hidden_size');
      const proj = typeof h['proj_size'] === 'number' && (h['proj_size'] as number) > 0 ? (h['proj_size'] as number) : 0;
      const outH = proj || hidden;
      const layers = num(h, 'num_layers');
      const batched = x.length === 3;
      const out = [...x.slice(0, -1), dirs * outH];
      const nb = batched ? (batchFirst ? x[0]! : x[1]!) : null;
      const hn: Shape = batched ? [dirs * layers, nb, outH] : [dirs * layers, outH];
      const cn: Shape = batched ? [dirs * layers, nb, hidden] : [dirs * layers, hidden];
      return { ok: true, tuple: type === 'LSTM' ? [out, [hn, cn]] : [out, hn] };
    }
    case 'rnnCell': {
      const hidden = num(h, 'hidden_size');
      const out = [...x.slice(0, -1), hidden];
      return type === 'LSTMCell' ? { ok: true, tuple: [out, out] } : ok(out);
    }
    default:
      return err(`no shape rule for ${type}`);
  }
}

function norm(d: number, rank: number): number {
  return d < 0 ? d + rank : d;
}

/** Broadcasts two shapes (NumPy rules); an error names both shapes like torch does. */
export function broadcast(a: Shape, b: Shape): ShapeResult {
  const n = Math.max(a.length, b.length);
  const out: Dim[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1, y = b[b.length - n + i] ?? 1;
    if (x === null || y === null) out.push(x === 1 ? y : y === 1 ? x : x ?? y);
    else if (x === y || y === 1) out.push(x);
    else if (x === 1) out.push(y);
    else return err(`The size of tensor a (${x}) must match the size of tensor b (${y}) at non-singleton dimension ${i}`);
  }
  return ok(out);
}
