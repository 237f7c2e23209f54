// ptflops' module hooks (MODULES_MAPPING, looked up by exact type), shared by the 0.7.6 and 0.6.9
// conventions, plus the 0.7.x functional patching: which F.* / torch.* calls it counts, and which of
// them run again inside torch's own modules (the double counts). Mirrors sovrasov/flops-counter.pytorch
// ptflops/pytorch_ops.py and pytorch_engine.py; line numbers are those cited in groundtruth/RULES.md.
import {
  ADAPTIVE_AVGPOOL_TYPES,
  ADAPTIVE_MAXPOOL_TYPES,
  AVGPOOL_TYPES,
  BATCHNORM_TYPES,
  CONV_TYPES,
  INSTANCENORM_TYPES,
  MAXPOOL_TYPES,
  RNN_CELL_TYPES,
  RNN_TYPES,
} from '../catalog';
import { ptflopsCell } from './cells';
import type { CostFn, FunctionalCount, HiddenOp, LayerRule } from '../conventionTypes';
import { attentionTerms, conv, headDimFloor, inputNumel, outputNumel, rnnLayerInput, rnnTerms } from '../formulas';
import { hpBool, inputShape, intList, numel, numelPerSample, outputShape, unknown } from '../geometry';
import { add, floor, lit, mul, named, pow, sub, sym, type Term } from '../terms';
import type { CostLayer, FunctionalOp, KnownShape, LayerCall } from '../costTypes';
import type { JsonValue } from '../../resultTypes';

/** bn_flops_counter_hook (pytorch_ops.py:51-57): numel(input), ×2 when the module has a true `affine` attribute. */
export const normHook: CostFn = (layer, call) => {
  // LayerNorm has `elementwise_affine`, not `affine`, so ptflops' hasattr check leaves it at 1·numel.
  const affine =
    layer.type === 'LayerNorm' ? false : hpBool(layer, 'affine', layer.type === 'GroupNorm' || layer.type.startsWith('BatchNorm'));
  return affine ? mul(lit(2), numel('in', inputShape(call))) : numel('in', inputShape(call));
};

export const NORM_HOOK_TYPES: readonly string[] = [...BATCHNORM_TYPES, ...INSTANCENORM_TYPES, 'GroupNorm', 'LayerNorm'];
export const ACT_HOOK_TYPES: readonly string[] = ['ReLU', 'PReLU', 'ELU', 'LeakyReLU', 'ReLU6', 'GELU'];
export const POOL_HOOK_TYPES: readonly string[] = [
  ...MAXPOOL_TYPES,
  ...AVGPOOL_TYPES,
  ...ADAPTIVE_MAXPOOL_TYPES,
  ...ADAPTIVE_AVGPOOL_TYPES,
];

/** upsample_flops_counter_hook (pytorch_ops.py:21-27) reads `output[0]`, the first sample: numel(out)/N. */
export const upsampleHook: CostFn = (_layer, call) => numelPerSample('out', outputShape(call));

const RNN_EXTRA: Readonly<Record<string, number>> = { RNN: 1, GRU: 7, LSTM: 10 };

/**
 * rnn_flops_counter_hook (pytorch_ops.py, rnn_flops): per layer numel(w_ih) + numel(w_hh) + a per-type
 * element-wise term (RNN H, GRU 7H, LSTM 10H) + both biases, times input dims 0 and 1 (read as batch and
 * sequence whatever the layout), times 2 when bidirectional (the reverse weights are not read).
 */
export const rnnHook: CostFn = (layer, call) => {
  const t = rnnTerms(layer, call);
  const G = lit(t.gates);
  const perLayer = Array.from({ length: t.layers }, (_, i) => {
    const parts = [mul(G, t.H, rnnLayerInput(t, i)), mul(G, t.H, t.H), mul(lit(RNN_EXTRA[layer.type]!), t.H)];
    if (t.bias) parts.push(mul(lit(2), G, t.H));
    return add(...parts);
  });
  return mul(t.d0, t.d1, lit(t.dirs), named('Σ layers', add(...perLayer)));
};

/** multihead_attention_counter_hook: Q scaling, projections (+bias), per-head QKᵀ/softmax/AV, output projection with bias. */
export const attentionHook: CostFn = (layer, call) => {
  const t = attentionTerms(layer, call);
  const parts: Term[] = [mul(t.Lq, t.E), mul(t.Lq, t.E, t.E), mul(t.Lk, t.kdim, t.kdim), mul(t.Lv, t.vdim, t.vdim)];
  if (t.inProjBias) parts.push(mul(add(t.Lq, t.Lk, t.Lv), t.E));
  parts.push(
    mul(t.heads, add(mul(t.Lq, t.Lk, headDimFloor(t.E, t.heads)), mul(t.Lq, t.Lk), mul(t.Lq, t.Lk, headDimFloor(t.vdim, t.heads)))),
  );
  parts.push(mul(t.Lq, t.vdim, add(t.vdim, lit(1))));
  return mul(t.N, named('per sample', add(...parts)));
};

/** The rows shared by both ptflops versions (everything but Linear and ConvTranspose, which changed). */
export function sharedHookRows(version: string, opts: { readonly layerNorm: boolean }): (readonly [readonly string[], LayerRule])[] {
  const norms = opts.layerNorm ? NORM_HOOK_TYPES : NORM_HOOK_TYPES.filter((t) => t !== 'LayerNorm');
  return [
    [
      CONV_TYPES,
      {
        why: `${version}: k·Cin·(Cout/g) per output position, plus one MAC per output element for the bias (conv_flops_counter_hook).`,
        cost: conv('out', true),
      },
    ],
    [ACT_HOOK_TYPES, { why: `${version}: numel(output) (relu_flops_counter_hook).`, cost: outputNumel(1) }],
    [POOL_HOOK_TYPES, { why: `${version}: numel(input) (pool_flops_counter_hook).`, cost: inputNumel(1) }],
    [
      norms,
      {
        why: `${version}: numel(input), ×2 when affine (bn_flops_counter_hook; LayerNorm has no \`affine\` attribute so stays 1×).`,
        cost: normHook,
      },
    ],
    [
      ['Upsample'],
      {
        why: `${version}: numel(output[0]) = numel(out)/N (upsample_flops_counter_hook reads the first sample). Subclasses (UpsamplingNearest2d...) have no hook: exact-type lookup.`,
        cost: upsampleHook,
      },
    ],
    [
      RNN_TYPES,
      {
        why: `${version}: weights·T·N (+ element-wise gate terms and biases), ×2 if bidirectional (rnn_flops_counter_hook).`,
        cost: rnnHook,
      },
    ],
    [
      RNN_CELL_TYPES,
      {
        why: `${version}: (numel(w_ih) + numel(w_hh) + element-wise gate terms + biases)·input.shape[0] (rnn_cell_flops_counter_hook).`,
        cost: ptflopsCell,
      },
    ],
    [
      ['MultiheadAttention'],
      {
        why: `${version}: projections with bias, per-head QKᵀ, softmax and AV, output projection (multihead_attention_counter_hook).`,
        cost: attentionHook,
      },
    ],
  ];
}

// ---- 0.7.x functional patching (pytorch_engine.py:348-456, pytorch_ops.py:397-469) ----

/** The F.* ops ptflops 0.7.6 patches with its numel rule (FUNCTIONAL_MAPPING). */
export const NUMEL_F_OPS: ReadonlySet<string> = new Set([
  'relu',
  'prelu',
  'elu',
  'relu6',
  'gelu',
  'silu',
  'softmax',
  'avg_pool1d',
  'avg_pool2d',
  'avg_pool3d',
  'max_pool1d',
  'max_pool2d',
  'max_pool3d',
  'adaptive_avg_pool1d',
  'adaptive_avg_pool2d',
  'adaptive_avg_pool3d',
  'adaptive_max_pool1d',
  'adaptive_max_pool2d',
  'adaptive_max_pool3d',
]);
const MATMUL_OPS = new Set(['matmul', 'mm', 'bmm']);
const ELEMENTWISE_OPS = new Set(['add', 'mul']);

/**
 * _interpolate_functional_flops_hook (ptflops/pytorch_ops.py @d612c75, the 0.7.6 release), for an input of
 * `dims` dimensions (N, C, spatial...):
 * - `size` a list/tuple: prod(size)·N·C; a scalar `size`: size^(dims−2)·N·C;
 * - else `scale_factor` a tuple of dims−2 factors: numel(input)·int(prod(scale));
 *   a scalar: numel(input)·scale^(dims−2); any other scale (a list, a tuple of another length) makes
 *   Python raise on `sequence ** int`, so ptflops reports nothing for the model.
 */
export function interpolateTerm(x: KnownShape, size: JsonValue | undefined, scale: JsonValue | undefined): Term {
  const spatial = x.length - 2;
  if (spatial <= 0) return unknown('ptflops asserts an N, C, spatial... input for interpolate');
  const nc = mul(sym('N', x[0]!), sym('C', x[1]!));
  if (size !== undefined && size !== null) {
    if (typeof size === 'number') return mul(pow(sym('size', size), lit(spatial)), nc);
    const dims = intList(size, 1) ?? unknown('interpolate size is unknown');
    return mul(named('prod(size)', mul(...dims.map(lit))), nc);
  }
  if (typeof scale === 'number') return mul(numel('in', x), pow(sym('scale', scale), lit(spatial)));
  const factors = intList(scale ?? null, 1);
  if (!factors) return unknown('interpolate needs size or scale_factor');
  if (factors.length !== spatial)
    return unknown('ptflops raises on a scale_factor sequence that is not one factor per spatial dim (sequence ** int)');
  return mul(numel('in', x), floor(named('prod(scale)', mul(...factors.map(lit)))));
}

/** _elementwise_tensor_flops_hook: numel of a shape built from the two operands dim by dim, left-aligned. */
function elementwiseTerm(op: FunctionalOp): Term {
  const a = op.inputShapes[0] ?? unknown('the operand shape is unknown');
  if (op.inputShapes.length < 2) return numel('a', a);
  const b = op.inputShapes[1] ?? unknown('the operand shape is unknown');
  // ptflops compares input.shape[i] with other.shape[i] from the left (not numpy's right alignment).
  const dims = Array.from({ length: Math.max(a.length, b.length) }, (_, i) => Math.max(a[i] ?? 1, b[i] ?? 1));
  return named('numel(broadcast)', mul(...dims.map(lit)));
}

/** How ptflops 0.7.6 counts one functional op issued by forward code; null when it does not patch it. */
export function ptflopsFunctional(op: FunctionalOp): FunctionalCount | null {
  const patchedName = `${op.via === 'F' ? 'F' : op.via === 'torch' ? 'torch' : 'Tensor'}.${op.op}`;
  if (op.via === 'F' && NUMEL_F_OPS.has(op.op)) {
    return {
      term: numel('in', op.inputShapes[0] ?? unknown('the input shape is unknown')),
      message: `${patchedName} is patched: numel(input)`,
    };
  }
  if (op.via === 'F' && (op.op === 'interpolate' || op.op === 'upsample')) {
    const x = op.inputShapes[0] ?? unknown('the input shape is unknown');
    return {
      term: interpolateTerm(x, op.args['size'], op.args['scale_factor']),
      message: `${patchedName} is patched: prod(size)·N·C or numel(input)·scale^(dims−2)`,
    };
  }
  // Operators (`a + b`, `a @ b`) go through Tensor.__add__/__matmul__, which ptflops does not patch.
  if (op.via === 'operator' || op.via === 'F') return null;
  if (MATMUL_OPS.has(op.op)) {
    const a = op.inputShapes[0] ?? unknown('the operand shape is unknown');
    const b = op.inputShapes[1] ?? unknown('the operand shape is unknown');
    return { term: mul(numel('a', a), sym('b[-1]', b[b.length - 1] ?? 1)), message: `${patchedName} is patched: numel(a)·b.shape[-1]` };
  }
  // torch.addmm, Tensor.addmm and torch.baddbmm are patched; Tensor.baddbmm is not.
  if (op.op === 'addmm' || (op.op === 'baddbmm' && op.via === 'torch')) {
    const [c, m1, m2] = [0, 1, 2].map((i) => op.inputShapes[i] ?? unknown('an operand shape is unknown'));
    const mm = mul(numel('mat1', m1!), sym('mat2[-1]', m2![m2!.length - 1]!));
    const term = op.args['beta'] === 0 ? mm : add(mm, numel('input', c!));
    return { term, message: `${patchedName} is patched: numel(mat1)·mat2.shape[-1] + numel(input)` };
  }
  if (ELEMENTWISE_OPS.has(op.op))
    return { term: elementwiseTerm(op), message: `${patchedName} is patched (the \`+\`/\`*\` operators are not)` };
  return null;
}

function hidden(op: string, term: Term, doubleCount: boolean, inside: string): HiddenOp {
  const message = doubleCount
    ? `${op} inside hooked ${inside}: ${inside}.forward calls the patched F.${op}, so the module hook and the patch both count it`
    : `${op} inside ${inside}: ${inside} has no module hook, but its forward calls the patched F.${op}, so it is counted once, in the total only`;
  return { op, term, doubleCount, message };
}

/** Which patched F.* op a torch layer's own forward calls (torch 1.13), by layer type. */
function poolOp(type: string): string | null {
  const m = /^(Adaptive)?(Max|Avg)Pool([123])d$/.exec(type);
  if (!m) return null;
  return `${m[1] ? 'adaptive_' : ''}${m[2]!.toLowerCase()}_pool${m[3]}d`;
}

/**
 * The ops ptflops 0.7.6 counts inside torch's own modules, per call. The interpreter does not emit these
 * (it does not look inside torch layers), so they are derived from the layer type here.
 */
export function ptflopsHiddenOps(layer: CostLayer, call: LayerCall): readonly HiddenOp[] {
  const inNumel = (): Term => numel('in', inputShape(call));
  const t = layer.type;
  if (t === 'ReLU' || t === 'ELU' || t === 'PReLU' || t === 'GELU')
    return [hidden(t === 'ReLU' ? 'relu' : t.toLowerCase(), inNumel(), true, t)];
  // nn.Softmax2d.forward is F.softmax(input, -3).
  if (t === 'SiLU' || t === 'Softmax' || t === 'Softmax2d') return [hidden(t === 'SiLU' ? 'silu' : 'softmax', inNumel(), false, t)];
  const pool = poolOp(t);
  if (pool) return [hidden(pool, inNumel(), true, t)];
  if (t === 'LPPool1d' || t === 'LPPool2d' || t === 'LPPool3d') {
    // F.lp_poolNd: avg_poolNd(x.pow(p)), then relu(|out|) and out.mul(k), all patched; no module hook.
    const d = t.slice(-2);
    const out = numel('out', outputShape(call));
    return [hidden(`avg_pool${d}`, inNumel(), false, t), hidden('relu', out, false, t), hidden('mul', out, false, t)];
  }
  if (t === 'Upsample' || t === 'UpsamplingNearest2d' || t === 'UpsamplingBilinear2d') {
    return [
      hidden(
        'interpolate',
        interpolateTerm(inputShape(call), layer.hyperparams['size'], layer.hyperparams['scale_factor']),
        t === 'Upsample',
        t,
      ),
    ];
  }
  if (t === 'MultiheadAttention') return attentionHiddenOps(layer, call);
  if (t === 'LocalResponseNorm') return localResponseNormHiddenOps(layer, call);
  return [];
}

/**
 * F.local_response_norm (torch 1.13): `input.mul(input)`, an avg_pool2d/3d over the squares padded by
 * size − 1 along the channels, then `div.mul(alpha).add(k)`: the patched Tensor.mul/add and pool, no module hook.
 */
function localResponseNormHiddenOps(layer: CostLayer, call: LayerCall): readonly HiddenOp[] {
  const x = inputShape(call);
  if (x.length < 3) unknown('local_response_norm raises on an input of fewer than 3 dims');
  const size = typeof layer.hyperparams['size'] === 'number' ? layer.hyperparams['size'] : unknown('size is unknown');
  const padded = named(
    'numel(padded squares)',
    mul(sym('N', x[0]!), add(sym('C', x[1]!), sub(sym('size', size), lit(1))), ...x.slice(2).map(lit)),
  );
  const inNumel = numel('in', x);
  const pool = x.length === 3 ? 'avg_pool2d' : 'avg_pool3d';
  return [
    hidden('mul', inNumel, false, 'LocalResponseNorm'),
    hidden(pool, padded, false, 'LocalResponseNorm'),
    hidden('mul', inNumel, false, 'LocalResponseNorm'),
    hidden('add', inNumel, false, 'LocalResponseNorm'),
  ];
}

/**
 * Inside nn.MultiheadAttention (torch 1.13, grad enabled so the slow path runs, no attn_mask):
 * torch.bmm(q, kᵀ), softmax, torch.bmm(attn, v) on [N·h, L, E/h] tensors; the module hook counted them already.
 */
function attentionHiddenOps(layer: CostLayer, call: LayerCall): readonly HiddenOp[] {
  const t = attentionTerms(layer, call);
  const headDim = headDimFloor(t.E, t.heads);
  const scores = named('numel(scores)', mul(t.N, t.heads, t.Lq, t.Lk));
  return [
    hidden('bmm', mul(t.N, t.heads, t.Lq, headDim, t.Lk), true, 'MultiheadAttention'),
    hidden('softmax', scores, true, 'MultiheadAttention'),
    hidden('bmm', mul(scores, headDim), true, 'MultiheadAttention'),
  ].map((h) => ({ ...h, message: `${h.message} (assumes no attn_mask; a mask turns the first bmm into baddbmm)` }));
}
