// torch.nn's transformer stack as torch builds and runs it (torch/nn/modules/transformer.py):
// TransformerEncoder / TransformerDecoder (N deep copies of a layer, an optional final norm), nn.Transformer
// (an encoder and a decoder stack, or the custom ones given), and the encoder/decoder layers' forward on the
// slow path, child by child, so each child's call is recorded as torch's hooks see it.
import {
  NONE,
  builtin,
  bool,
  int,
  str,
  unknown,
  isUnknown,
  isModuleInstance,
  type CallArgs,
  type CallSite,
  type ClassV,
  type InstanceV,
  type ModuleData,
  type PyModuleV,
  type Value,
} from './values';
import type { Interpreter } from './eval';
import { mkClass, newInstance, registerChild, selfOf } from './nnModule';
import { deepCopy } from './deepCopy';
import { quotedName as quoted } from '../messageText';

// torch.nn.TransformerEncoder / TransformerDecoder: N deep copies of the given layer in a
// ModuleList named `layers`, an optional final `norm`; forward runs them in order.
function stackOfClones(
  interp: Interpreter,
  moduleClass: ClassV,
  moduleList: ClassV,
  name: 'TransformerEncoder' | 'TransformerDecoder',
): ClassV {
  return mkClass(
    name,
    { type: 'module' },
    [moduleClass],
    [
      [
        '__init__',
        builtin(`${name}.__init__`, (c, site) => {
          const self = selfOf(interp, c, site);
          const layer = c.args[1] ?? c.kwargs.get(name === 'TransformerEncoder' ? 'encoder_layer' : 'decoder_layer') ?? NONE;
          const n = interp.force(c.args[2] ?? c.kwargs.get('num_layers') ?? NONE);
          const layers = newInstance(interp, moduleList, site) as InstanceV & { module: ModuleData };
          if (n.kind !== 'int') layers.module.unknownReason = `num_layers cannot be known${isUnknown(n) ? `: ${n.reason}` : ''}`;
          else for (let i = 0; i < n.v; i++) registerChild(interp, layers, String(i), deepCopy(interp, layer, site), site);
          registerChild(interp, self, 'layers', layers, site);
          self.attrs.set('num_layers', n);
          registerChild(interp, self, 'norm', c.args[3] ?? c.kwargs.get('norm') ?? NONE, site);
          return NONE;
        }),
      ],
      [
        'forward',
        builtin(`${name}.forward`, (c, site) => {
          const self = selfOf(interp, c, site);
          let x: Value = c.args[1] ?? c.kwargs.get(name === 'TransformerEncoder' ? 'src' : 'tgt') ?? NONE;
          const memory = name === 'TransformerDecoder' ? [c.args[2] ?? c.kwargs.get('memory') ?? NONE] : [];
          const layers = self.module.children.get('layers');
          if (!layers || !isModuleInstance(layers)) return unknown(`${name} layers cannot be known`, site.range);
          for (const l of layers.module.children.values()) {
            if (!isModuleInstance(l)) return unknown(`${name} layer cannot be known`, site.range);
            x = interp.callValue(l, { args: [x, ...memory], kwargs: new Map() }, site);
          }
          const norm = self.module.children.get('norm');
          return norm && isModuleInstance(norm) ? interp.callValue(norm, { args: [x], kwargs: new Map() }, site) : x;
        }),
      ],
    ],
  );
}

/**
 * TransformerEncoderLayer / TransformerDecoderLayer.forward (torch/nn/modules/transformer.py): self-attention,
 * (decoder) cross-attention over `memory`, then the feed-forward block, each added to its input and
 * normalised after (or, with norm_first, before) it.
 */
function transformerLayerForward(interp: Interpreter, functional: PyModuleV, c: CallArgs, site: CallSite, decoder: boolean): Value {
  const self = selfOf(interp, c, site);
  let x: Value = c.args[1] ?? c.kwargs.get(decoder ? 'tgt' : 'src') ?? NONE;
  const memory: Value = c.args[2] ?? c.kwargs.get('memory') ?? NONE;
  const child = (n: string): Value => self.module.children.get(n) ?? unknown(`${n} of a Transformer layer is missing`, site.range);
  const call = (fn: Value, ...args: Value[]): Value => interp.callValue(fn, { args, kwargs: new Map() }, site);
  const attend = (name: string, q: Value, kv: Value): Value =>
    interp.getItem(
      interp.callValue(child(name), { args: [q, kv, kv], kwargs: new Map([['need_weights', bool(false)]]) }, site),
      int(0),
      site,
    );
  const act = interp.force(self.attrs.get('activation') ?? str('relu'));
  const activation = (v: Value): Value => {
    if (act.kind === 'str') return call(functional.get(act.v) ?? unknown(`activation ${quoted(act.v)}`, site.range), v);
    return call(act, v);
  };
  const n = decoder ? 3 : 2;
  const blocks: ((v: Value) => Value)[] = [
    (v) => call(child('dropout1'), attend('self_attn', v, v)),
    ...(decoder ? [(v: Value) => call(child('dropout2'), attend('multihead_attn', v, memory))] : []),
    (v) => call(child(`dropout${n}`), call(child('linear2'), call(child('dropout'), activation(call(child('linear1'), v))))),
  ];
  const normFirst = interp.force(self.attrs.get('norm_first') ?? bool(false));
  blocks.forEach((block, i) => {
    const norm = child(`norm${i + 1}`);
    x =
      normFirst.kind === 'bool' && normFirst.v
        ? interp.binop('+', x, block(call(norm, x)), site)
        : call(norm, interp.binop('+', x, block(x), site));
  });
  return x;
}

/** The classes nnTransformer.ts builds, beside the layer classes whose forward it sets. */
export interface Transformers {
  readonly transformerEncoder: ClassV;
  readonly transformerDecoder: ClassV;
  readonly transformer: ClassV;
}

/**
 * nn.TransformerEncoder, nn.TransformerDecoder and nn.Transformer, and the forward of the
 * TransformerEncoderLayer / TransformerDecoderLayer catalog classes (which call `functional`'s activations).
 */
export function createTransformers(
  interp: Interpreter,
  moduleClass: ClassV,
  moduleList: ClassV,
  layerClasses: ReadonlyMap<string, ClassV>,
  functional: PyModuleV,
): Transformers {
  // The Transformer layers run their children as torch's forward does (the slow path: torch 1.13 takes a
  // fused fast path only in inference with batch_first and gradients off, where counters' hooks see less).
  layerClasses.get('TransformerEncoderLayer')!.attrs.set(
    'forward',
    builtin('TransformerEncoderLayer.forward', (c, site) => transformerLayerForward(interp, functional, c, site, false)),
  );
  layerClasses.get('TransformerDecoderLayer')!.attrs.set(
    'forward',
    builtin('TransformerDecoderLayer.forward', (c, site) => transformerLayerForward(interp, functional, c, site, true)),
  );
  const transformerEncoder = stackOfClones(interp, moduleClass, moduleList, 'TransformerEncoder');
  const transformerDecoder = stackOfClones(interp, moduleClass, moduleList, 'TransformerDecoder');

  // torch.nn.Transformer: an encoder stack and a decoder stack, each N deep copies of one layer plus a
  // final LayerNorm (or the custom_encoder / custom_decoder given); forward(src, tgt) feeds the encoder's
  // output to the decoder as memory. Built from the same classes user code would call, in torch's order.
  const transformer = mkClass(
    'Transformer',
    { type: 'module' },
    [moduleClass],
    [
      [
        '__init__',
        builtin('Transformer.__init__', (c, site) => {
          const self = selfOf(interp, c, site);
          const names = [
            'd_model',
            'nhead',
            'num_encoder_layers',
            'num_decoder_layers',
            'dim_feedforward',
            'dropout',
            'activation',
            'custom_encoder',
            'custom_decoder',
            'layer_norm_eps',
            'batch_first',
            'norm_first',
          ] as const;
          const defaults: Record<(typeof names)[number], Value> = {
            d_model: int(512),
            nhead: int(8),
            num_encoder_layers: int(6),
            num_decoder_layers: int(6),
            dim_feedforward: int(2048),
            dropout: { kind: 'float', v: 0.1 },
            activation: str('relu'),
            custom_encoder: NONE,
            custom_decoder: NONE,
            layer_norm_eps: { kind: 'float', v: 1e-5 },
            batch_first: bool(false),
            norm_first: bool(false),
          };
          const arg = (name: (typeof names)[number]): Value => c.args[names.indexOf(name) + 1] ?? c.kwargs.get(name) ?? defaults[name];
          const call = (cls: Value, args: Value[], kwargs: [string, Value][] = []): Value =>
            interp.callValue(cls, { args, kwargs: new Map(kwargs) }, site);
          const layerArgs = (
            ['d_model', 'nhead', 'dim_feedforward', 'dropout', 'activation', 'layer_norm_eps', 'batch_first', 'norm_first'] as const
          ).map(arg);
          const norm = (): Value => call(layerClasses.get('LayerNorm')!, [arg('d_model')], [['eps', arg('layer_norm_eps')]]);
          const stack = (custom: Value, cls: ClassV, layer: string, count: Value): Value =>
            interp.force(custom).kind !== 'none' ? custom : call(cls, [call(layerClasses.get(layer)!, layerArgs), count, norm()]);
          registerChild(
            interp,
            self,
            'encoder',
            stack(arg('custom_encoder'), transformerEncoder, 'TransformerEncoderLayer', arg('num_encoder_layers')),
            site,
          );
          registerChild(
            interp,
            self,
            'decoder',
            stack(arg('custom_decoder'), transformerDecoder, 'TransformerDecoderLayer', arg('num_decoder_layers')),
            site,
          );
          for (const n of ['d_model', 'nhead', 'batch_first'] as const) self.attrs.set(n, arg(n));
          return NONE;
        }),
      ],
      [
        'forward',
        builtin('Transformer.forward', (c, site) => {
          const self = selfOf(interp, c, site);
          const src = c.args[1] ?? c.kwargs.get('src') ?? NONE;
          const tgt = c.args[2] ?? c.kwargs.get('tgt') ?? NONE;
          const encoder = self.module.children.get('encoder');
          const decoder = self.module.children.get('decoder');
          if (!encoder || !decoder || !isModuleInstance(encoder) || !isModuleInstance(decoder))
            return unknown('Transformer encoder or decoder cannot be known', site.range);
          const memory = interp.callValue(encoder, { args: [src], kwargs: new Map() }, site);
          return interp.callValue(decoder, { args: [tgt, memory], kwargs: new Map() }, site);
        }),
      ],
    ],
  );
  return { transformerEncoder, transformerDecoder, transformer };
}
