// torch's declared signatures of the functions and Tensor methods the engine models, as torch itself
// declares them (inspect.signature of the Python functions, the first docstring line of the C builtins;
// test/python/signatures.test.ts compares this table with the installed torch). Every call to one of
// them is bound against its signature before the engine's implementation runs, so each parameter can be
// given positionally or by keyword, as in torch (`F.avg_pool2d(input=x, kernel_size=2)`,
// `torch.cat(tensors=[a, b], dim=1)`, `x.view(size=(1, -1))`). Overloaded functions whose positional
// meaning depends on the overload (torch.std, torch.arange) are left out: their keywords stay keywords.
// Nothing here evaluates anything.

/** One declared parameter: positional-or-keyword, keyword-only (after `*`), or `*args`. */
export interface SigParam {
  readonly name: string;
  readonly kind: 'pos' | 'kwonly' | 'varpos';
  /** The default as torch writes it (`None`, `0`, `'nearest'`); absent for a required parameter. */
  readonly default?: string;
}

const UNARY = ['sigmoid', 'tanh', 'relu', 'exp', 'log', 'sqrt', 'abs', 'neg', 'sign', 'floor', 'ceil', 'rsqrt', 'sin', 'cos'].concat(
  ['erf', 'erfc', 'erfinv', 'expm1', 'log1p', 'log2', 'log10', 'trunc', 'frac', 'tan', 'atan', 'asin', 'acos', 'sinh', 'cosh'],
  ['exp2', 'reciprocal', 'square'],
);
const dims = [1, 2, 3];
const each = (names: readonly string[], sig: string): [string, string][] => names.map((n) => [n, sig]);
const nd = (f: (d: number) => string, sig: string): [string, string][] => dims.map((d) => [f(d), sig]);
const MAX_POOL = 'input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False';

/** torch.nn.functional.NAME */
const FUNCTIONAL: readonly [string, string][] = [
  ...each(['relu', 'relu6', 'selu', 'silu', 'mish', 'hardswish', 'hardsigmoid'], 'input, inplace=False'),
  ['elu', 'input, alpha=1.0, inplace=False'],
  ['celu', 'input, alpha=1.0, inplace=False'],
  ['leaky_relu', 'input, negative_slope=0.01, inplace=False'],
  ['prelu', 'input, weight'],
  ['gelu', "input, approximate='none'"],
  ['hardtanh', 'input, min_val=-1.0, max_val=1.0, inplace=False'],
  ...each(['sigmoid', 'tanh', 'softsign', 'logsigmoid', 'relu_'], 'input'),
  ['softplus', 'input, beta=1, threshold=20'],
  ['elu_', 'input, alpha=1.0'],
  ['leaky_relu_', 'input, negative_slope=0.01'],
  ['hardtanh_', 'input, min_val=-1.0, max_val=1.0'],
  ...each(['softmax', 'log_softmax', 'softmin'], 'input, dim=None, _stacklevel=3, dtype=None'),
  ...each(['dropout', 'dropout1d', 'dropout2d', 'dropout3d'], 'input, p=0.5, training=True, inplace=False'),
  ...each(['alpha_dropout', 'feature_alpha_dropout'], 'input, p=0.5, training=False, inplace=False'),
  ['normalize', 'input, p=2.0, dim=1, eps=1e-12, out=None'],
  ['local_response_norm', 'input, size, alpha=0.0001, beta=0.75, k=1.0'],
  ['layer_norm', 'input, normalized_shape, weight=None, bias=None, eps=1e-05'],
  ['batch_norm', 'input, running_mean, running_var, weight=None, bias=None, training=False, momentum=0.1, eps=1e-05'],
  ['group_norm', 'input, num_groups, weight=None, bias=None, eps=1e-05'],
  ['instance_norm', 'input, running_mean=None, running_var=None, weight=None, bias=None, use_input_stats=True, momentum=0.1, eps=1e-05'],
  ...nd((d) => `max_pool${d}d`, MAX_POOL),
  ...nd((d) => `max_pool${d}d_with_indices`, MAX_POOL),
  ['avg_pool1d', 'input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True'],
  ...nd(
    (d) => `avg_pool${d}d`,
    'input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None',
  ).slice(1),
  ...nd((d) => `adaptive_avg_pool${d}d`, 'input, output_size'),
  ...nd((d) => `adaptive_max_pool${d}d`, 'input, output_size, return_indices=False'),
  ...nd((d) => `adaptive_max_pool${d}d_with_indices`, 'input, output_size, return_indices=False'),
  ...nd((d) => `max_unpool${d}d`, 'input, indices, kernel_size, stride=None, padding=0, output_size=None'),
  ['interpolate', "input, size=None, scale_factor=None, mode='nearest', align_corners=None, recompute_scale_factor=None, antialias=False"],
  ['upsample', "input, size=None, scale_factor=None, mode='nearest', align_corners=None"],
  ...each(['upsample_bilinear', 'upsample_nearest'], 'input, size=None, scale_factor=None'),
  ['pad', "input, pad, mode='constant', value=None"],
  ['linear', 'input, weight, bias=None'],
  ...nd((d) => `conv${d}d`, 'input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1'),
  ...nd((d) => `conv_transpose${d}d`, 'input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1'),
  ['glu', 'input, dim=-1'],
  ['unfold', 'input, kernel_size, dilation=1, padding=0, stride=1'],
  ['affine_grid', 'theta, size, align_corners=None'],
  ['grid_sample', "input, grid, mode='bilinear', padding_mode='zeros', align_corners=None"],
  ['pixel_shuffle', 'input, upscale_factor'],
  ['embedding', 'input, weight, padding_idx=None, max_norm=None, norm_type=2.0, scale_grad_by_freq=False, sparse=False'],
  ['scaled_dot_product_attention', 'query, key, value, attn_mask=None, dropout_p=0.0, is_causal=False, scale=None'],
];

/** torch.NAME */
const TORCH: readonly [string, string][] = [
  ...each(['add', 'sub', 'subtract'], 'input, other, *, alpha=1, out=None'),
  ...each(['mul', 'multiply'], 'input, other, *, out=None'),
  ...each(['div', 'divide'], 'input, other, *, rounding_mode=None, out=None'),
  ['true_divide', 'input, other, *, out=None'],
  ['pow', 'input, exponent, *, out=None'],
  ['matmul', 'input, other, *, out=None'],
  ...each(['mm', 'bmm'], 'input, mat2, *, out=None'),
  ...each(UNARY.concat(['round']), 'input, *, out=None'),
  ...each(['clamp', 'clip'], 'input, min=None, max=None, *, out=None'),
  ...each(['softmax', 'log_softmax'], 'input, dim, dtype=None'),
  ...each(
    ['zeros_like', 'ones_like', 'empty_like', 'rand_like', 'randn_like'],
    'input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None',
  ),
  ['full_like', 'input, fill_value, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None'],
  ['clone', 'input, *, memory_format=None'],
  ['detach', 'input'],
  ['dropout', 'input, p, train'],
  ['roll', 'input, shifts, dims=None'],
  ['flip', 'input, dims'],
  ...each(['tril', 'triu'], 'input, diagonal=0, *, out=None'),
  ...each(['cumsum', 'cumprod'], 'input, dim, *, dtype=None, out=None'),
  ['masked_fill', 'input, mask, value'],
  ['nan_to_num', 'input, nan=0.0, posinf=None, neginf=None, *, out=None'],
  ['where', 'condition, input, other, *, out=None'],
  // torch.concatenate also takes NumPy's `axis=` keyword in torch ≥ 2 (read by name).
  ...each(['cat', 'concat', 'concatenate', 'stack'], 'tensors, dim=0, *, out=None'),
  ['flatten', 'input, start_dim=0, end_dim=-1'],
  ['reshape', 'input, shape'],
  ...each(['transpose', 'swapdims'], 'input, dim0, dim1'),
  ['swapaxes', 'input, axis0, axis1'],
  ['permute', 'input, dims'],
  ['squeeze', 'input, dim=None'],
  ['unsqueeze', 'input, dim'],
  ['split', 'tensor, split_size_or_sections, dim=0'],
  ['chunk', 'input, chunks, dim=0'],
  ...each(['mean', 'sum', 'prod'], 'input, dim=None, keepdim=False, *, dtype=None'),
  ...each(['amax', 'amin', 'logsumexp'], 'input, dim, keepdim=False, *, out=None'),
  ...each(['max', 'min'], 'input, dim=None, keepdim=False, *, out=None'),
  ['narrow', 'input, dim, start, length'],
  ['t', 'input'],
  ['einsum', 'equation, *operands'],
  ['linspace', 'start, end, steps, *, out=None, dtype=None, layout=None, device=None, requires_grad=False'],
  ['eye', 'n, m=None, *, out=None, dtype=None, layout=None, device=None, requires_grad=False'],
  ['tensor', 'data, *, dtype=None, device=None, requires_grad=False, pin_memory=False'],
  ['as_tensor', 'data, dtype=None, device=None'],
  ['diff', 'input, n=1, dim=-1, prepend=None, append=None'],
  ['meshgrid', '*tensors, indexing=None'],
];

/** Tensor.NAME (without self). `*shape`-style methods also take the whole size by its ATen name (`size=`). */
const TENSOR: readonly [string, string][] = [
  ['size', 'dim=None'],
  ...each(['view', 'expand'], '*size'),
  ['reshape', '*shape'],
  ['permute', '*dims'],
  ['repeat', '*repeats'],
  ...each(['view_as', 'reshape_as', 'expand_as', 'type_as'], 'other'),
  ['flatten', 'start_dim=0, end_dim=-1'],
  ...each(['transpose', 'swapdims'], 'dim0, dim1'),
  ['swapaxes', 'axis0, axis1'],
  ['unsqueeze', 'dim'],
  ['squeeze', 'dim=None'],
  ...each(['mean', 'sum', 'prod'], 'dim=None, keepdim=False, *, dtype=None'),
  ...each(['amax', 'amin'], 'dim=[], keepdim=False'),
  ['logsumexp', 'dim, keepdim=False'],
  ...each(['max', 'min', 'argmax', 'argmin'], 'dim=None, keepdim=False'),
  ['norm', "p='fro', dim=None, keepdim=False, dtype=None"],
  ['chunk', 'chunks, dim=0'],
  ['split', 'split_size, dim=0'],
  ['narrow', 'dim, start, length'],
  ...each(['add', 'sub', 'add_', 'sub_'], 'other, *, alpha=1'),
  ...each(['mul', 'mul_'], 'other'),
  ...each(['div', 'div_'], 'other, *, rounding_mode=None'),
  ['matmul', 'other'],
  ...each(['mm', 'bmm'], 'mat2'),
  ...each(['softmax', 'log_softmax'], 'dim, dtype=None'),
  ['roll', 'shifts, dims=None'],
  ['flip', 'dims'],
  ...each(['tril', 'triu'], 'diagonal=0'),
  ...each(['cumsum', 'cumprod'], 'dim, *, dtype=None'),
  ...each(['clamp', 'clamp_'], 'min=None, max=None'),
  ['clamp_min', 'min'],
  ['clamp_max', 'max'],
  ['pow', 'exponent'],
  ['fill_', 'value'],
  ...each(['masked_fill', 'masked_fill_'], 'mask, value'),
  ['new_zeros', 'size, *, dtype=None, device=None, requires_grad=False'],
  ['new_ones', 'size, *, dtype=None, device=None, requires_grad=False'],
  ['new_empty', 'size, *, dtype=None, device=None, requires_grad=False'],
  ['new_full', 'size, fill_value, *, dtype=None, device=None, requires_grad=False'],
];

/** Parses `input, kernel_size, stride=None, *, out=None` (no annotations; defaults without top-level commas). */
export function parseSignature(text: string): SigParam[] {
  let kwonly = false;
  const out: SigParam[] = [];
  for (const raw of text.split(',').map((s) => s.trim())) {
    if (raw === '') continue;
    if (raw === '*') {
      kwonly = true;
      continue;
    }
    if (raw.startsWith('*')) {
      out.push({ name: raw.slice(1), kind: 'varpos' });
      kwonly = true;
      continue;
    }
    const eq = raw.indexOf('=');
    const name = eq < 0 ? raw : raw.slice(0, eq).trim();
    out.push({ name, kind: kwonly ? 'kwonly' : 'pos', ...(eq < 0 ? {} : { default: raw.slice(eq + 1).trim() }) });
  }
  return out;
}

const table = (rows: readonly [string, string][]): ReadonlyMap<string, readonly SigParam[]> =>
  new Map(rows.map(([n, s]) => [n, parseSignature(s)]));

/** The declared signatures, by namespace: `F` (torch.nn.functional), `torch`, `Tensor` (methods, without self). */
export const SIGNATURES: Readonly<Record<'F' | 'torch' | 'Tensor', ReadonlyMap<string, readonly SigParam[]>>> = {
  F: table(FUNCTIONAL),
  torch: table(TORCH),
  Tensor: table(TENSOR),
};

/** The raw text of every declared signature, for the comparison with real torch. */
export const SIGNATURE_TEXT: Readonly<Record<'F' | 'torch' | 'Tensor', readonly [string, string][]>> = {
  F: FUNCTIONAL,
  torch: TORCH,
  Tensor: TENSOR,
};

export type BoundCall<V> = { readonly args: V[]; readonly kwargs: Map<string, V> } | { readonly error: string };

/**
 * Binds a call against a declared signature the way Python would, and hands it on in the form every
 * implementation reads: positional-or-keyword parameters given by keyword move to their positional slots
 * while there is no gap (a later one after a gap stays a keyword, read by name); keyword-only ones stay
 * keywords; a `*shape` method given its whole size by keyword (`x.view(size=s)`) gets it as one argument.
 * A parameter given twice is Python's TypeError.
 */
export function bindCall<V>(name: string, params: readonly SigParam[], args: readonly V[], kwargs: ReadonlyMap<string, V>): BoundCall<V> {
  const pos = params.filter((p) => p.kind === 'pos');
  const varpos = params.find((p) => p.kind === 'varpos');
  for (const p of pos.slice(0, args.length))
    if (kwargs.has(p.name)) return { error: `${name}() got multiple values for argument '${p.name}'` };
  const outArgs = [...args];
  const moved = new Set<string>();
  for (let i = outArgs.length; i < pos.length && kwargs.has(pos[i]!.name); i++) {
    outArgs.push(kwargs.get(pos[i]!.name)!);
    moved.add(pos[i]!.name);
  }
  if (varpos && outArgs.length === pos.length && kwargs.has(varpos.name)) {
    outArgs.push(kwargs.get(varpos.name)!);
    moved.add(varpos.name);
  }
  return { args: outArgs, kwargs: new Map([...kwargs].filter(([k]) => !moved.has(k))) };
}

/** The positional index of a declared parameter (for readers that look a value up by name), or -1. */
export function paramIndex(params: readonly SigParam[] | undefined, name: string): number {
  return params ? params.filter((p) => p.kind === 'pos').findIndex((p) => p.name === name) : -1;
}
