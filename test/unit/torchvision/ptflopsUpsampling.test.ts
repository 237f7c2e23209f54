// ptflops totals of upsampling models against ptflops 0.7.6 itself. Needs torchvision 0.14.1's sources
// (npm run test:torchvision fetches them).
import * as assert from 'assert';
import * as fs from 'fs';
import { profileEntry } from '../../../extension/core';
import { fileHost, fixturePath, repoRoot, torchvisionRoot } from '../helpers/fixtureFiles';
import { checkInvariant } from '../helpers/invariant';

const ZOO = fixturePath('python', 'zoo');

// ptflops 0.7.6 measured on models whose F.interpolate / nn.Upsample figures are a visible part of the
// total (test/fixtures/ptflops_measured.json, made by test/scripts/measurePtflops.py): DeepLabV3 and FCN
// upsample their logits with F.interpolate(size=...), the bilinear UNet with nn.Upsample(scale_factor=2).
describe('ptflops totals of upsampling models equal ptflops 0.7.6', function () {
  this.timeout(300_000);
  interface Measured {
    name: string;
    file: string;
    entry: string;
    input: number[];
    macs: number;
    params: number;
  }
  const measured: Measured[] = JSON.parse(fs.readFileSync(fixturePath('ptflops_measured.json'), 'utf8')).models;
  for (const m of measured) {
    it(`${m.name}: ${m.entry} on ${m.input.join('x')}`, () => {
      const tv = m.file.startsWith('torchvision/');
      const file = tv ? `${torchvisionRoot}/${m.file}` : `${repoRoot}/${m.file}`;
      const r = profileEntry(fs.readFileSync(file, 'utf8'), file, m.entry, {
        host: fileHost(),
        roots: [tv ? torchvisionRoot : ZOO],
        input: m.input,
      });
      assert.strictEqual(r.status, 'ok', JSON.stringify(r.diagnostics));
      const p = r.profiles!.ptflops;
      assert.strictEqual(p.totals.partial, false);
      assert.ok(
        p.functionals.some((f) => f.type === 'functional:interpolate'),
        'an interpolate is part of the figure',
      );
      assert.strictEqual(p.totals.macs, m.macs);
      assert.strictEqual(p.totals.params, m.params);
      checkInvariant(r, m.name);
    });
  }
});
