// What each tool does with a catalog layer it has no rule for, in its own terms: the explicit 0 (with
// the reason) that a convention gives every torch.nn type outside its rule table. Read from the tools'
// sources (groundtruth/RULES.md): ptflops and thop look hooks up by exact type and skip the rest
// (thop also leaves out its parameters); torchinfo derives Mult-Adds from parameters; fvcore skips
// aten ops without a handle; torchstat's isinstance chains fall through to 0; paper counts only
// multiply-accumulates of conv, linear, matmul and attention. No counting happens here.
import { layerSpec, type OpSpec } from '../torch';
import { NUMEL_F_OPS } from './conventions/ptflopsHooks';
import type { ConventionName } from './costTypes';

const fOf = (spec: OpSpec): string | undefined => spec.functional?.[0];
const PTFLOPS_PATCHED = (fn: string): boolean => NUMEL_F_OPS.has(fn) || fn === 'interpolate' || fn === 'upsample';
/** Types whose forward runs patched ops other than its own F twin (pool, Tensor.mul/add): listed as functional entries. */
const PTFLOPS_INNER_PATCHED = new Set(['LPPool1d', 'LPPool2d', 'LPPool3d', 'LocalResponseNorm']);
/** fvcore's default handles that a module's own aten op may hit (flop_count.py _DEFAULT_SUPPORTED_OPS). */
const FVCORE_HANDLED = new Set(['linear', 'batch_norm', 'group_norm', 'layer_norm', 'instance_norm', 'adaptive_avg_pool2d', 'interpolate']);
const FVCORE_IGNORED = new Set(['dropout', 'dropout1d', 'dropout2d', 'dropout3d', 'alpha_dropout', 'feature_alpha_dropout', 'relu']);

function ptflopsWhy(version: string, functional: boolean): (spec: OpSpec) => string {
  return (spec) => {
    const base = `${version}: no module hook for ${spec.name} (MODULES_MAPPING is looked up by exact type): 0`;
    if (!functional) return `${base}; ${version} patches no functional ops.`;
    const fn = fOf(spec);
    if (PTFLOPS_INNER_PATCHED.has(spec.name) || (fn && PTFLOPS_PATCHED(fn))) {
      return `${base}; the patched ops its forward calls are counted in the total as functional entries.`;
    }
    return `${base}; its forward ${fn ? `calls F.${fn}, which ptflops does not patch` : 'calls no patched op'}.`;
  };
}

/** The reason a convention gives a catalog type it has no rule for (its MACs are then 0). */
export const UNHOOKED: Readonly<Record<ConventionName, (spec: OpSpec) => string>> = {
  ptflops: ptflopsWhy('ptflops 0.7.6', true),
  'ptflops-0.6': ptflopsWhy('ptflops 0.6.9', false),
  torchinfo: (spec) => `torchinfo 1.8.0: Mult-Adds come from parameters only and ${spec.name} has none: 0.`,
  fvcore: (spec) => {
    const fn = fOf(spec);
    if (!fn) return `fvcore 0.1.6: ${spec.name} traces to no aten op with a flop handle (views and copies only): 0.`;
    if (FVCORE_IGNORED.has(fn)) return `fvcore 0.1.6: aten::${fn} is in its ignored ops: 0.`;
    return `fvcore 0.1.6: aten::${fn} (what ${spec.name} traces to) has no flop handle, so it is skipped and listed as unsupported: 0.`;
  },
  thop: (spec) =>
    `thop 0.1.1: no rule for ${spec.name} in register_hooks ("Treat it as zero Macs and zero Params"): 0, and its parameters are not counted.`,
  torchstat: (spec) => `torchstat 0.0.7: ${spec.name} is not supported (its isinstance chain falls through, "not supported!"): 0.`,
  paper: (spec) => `paper: ${spec.name} does no conv, linear, matrix-product or attention multiply-accumulates: 0.`,
};

/** The explicit-0 reason for `type` under a convention, or undefined when `type` is not a catalog layer. */
export function unhookedWhy(convention: ConventionName, type: string): string | undefined {
  const spec = layerSpec(type);
  return spec && UNHOOKED[convention](spec);
}

export { FVCORE_HANDLED };
