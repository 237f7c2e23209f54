// Generality check on real model code nobody tuned the engine for: every classification model
// builder in torchvision 0.14.1 (80 of them: ConvNeXt, DenseNet, EfficientNet, MaxViT, RegNet,
// ShuffleNet, Swin, ViT, ...). Parameter counts must equal the `num_params` torchvision publishes
// in each builder's weights metadata, and the abstract forward pass must reach the logits.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { profileEntry } from '../../../extension/core';
import { fileHost, torchvisionRoot } from '../helpers/fixtureFiles';
import { checkInvariant } from '../helpers/invariant';

interface Builder {
  file: string;
  fn: string;
  numParams: number | null;
  entry: string;
}

/** Builders (`def name(*, weights...`) and the num_params of the weights enum their decorator names. */
function builders(): Builder[] {
  const dir = path.join(torchvisionRoot, 'torchvision', 'models');
  const out: Builder[] = [];
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.py') && !x.startsWith('_'))) {
    const src = fs.readFileSync(path.join(dir, f), 'utf8');
    for (const m of src.matchAll(/def ([a-z0-9_]+)\(\s*\*,\s*weights/g)) {
      const dec = src.slice(src.lastIndexOf('@handle_legacy_interface', m.index), m.index);
      const weightsClass = /\("pretrained", ([A-Za-z0-9_]+)\./.exec(dec)?.[1];
      const meta = weightsClass ? /"num_params": ([0-9_]+)/.exec(src.slice(src.indexOf(`class ${weightsClass}(`)))?.[1] : undefined;
      // GoogLeNet's published count is without its auxiliary heads, which only pretrained loading removes.
      const entry = m[1] === 'googlenet' ? 'googlenet(weights=None, aux_logits=False)' : `${m[1]}(weights=None)`;
      out.push({ file: path.join(dir, f), fn: m[1]!, numParams: meta ? Number(meta.replace(/_/g, '')) : null, entry });
    }
  }
  return out;
}

describe('torchvision 0.14.1 model zoo (generality)', () => {
  const all = fs.existsSync(torchvisionRoot) ? builders() : [];
  it('finds the builders', () => assert.ok(all.length >= 80, `${all.length} builders`));
  for (const b of all) {
    it(`${b.fn}: params equal torchvision's num_params and forward reaches the logits`, () => {
      const input = b.fn.startsWith('inception') ? [1, 3, 299, 299] : [1, 3, 224, 224];
      const r = profileEntry(fs.readFileSync(b.file, 'utf8'), b.file, b.entry, { host: fileHost(), roots: [torchvisionRoot], input });
      assert.strictEqual(r.status, 'ok');
      if (b.numParams !== null) assert.strictEqual(r.totals.params, b.numParams);
      else assert.ok(r.totals.params !== null && r.totals.params > 0);
      assert.deepStrictEqual(r.outputShape, [1, 1000], JSON.stringify(r.diagnostics.filter((d) => d.severity !== 'info')));
      assert.ok(r.layers.every((l) => l.status === 'ok'));
      assert.strictEqual(r.profiles!.ptflops.totals.partial, false);
      checkInvariant(r, b.fn);
    });
  }
});
