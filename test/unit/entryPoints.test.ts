// analyzeEntry and profileEntry run the same configured interpreter (core/analyzer.ts Session): model code
// that runs a dummy forward or reads a tensor's shape in `__init__` builds the same module tree through both.
import * as assert from 'assert';
import { analyzeEntry, profileEntry } from '../../extension/core';

const DUMMY_FORWARD = [
  'import torch',
  'import torch.nn as nn',
  'class M(nn.Module):',
  '    def __init__(self):',
  '        super().__init__()',
  '        self.features = nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU())',
  '        n = self.features(torch.zeros(1, 3, 32, 32)).numel()',
  '        self.k = torch.zeros(4, 5).shape[1]',
  '        self.fc = nn.Linear(n, 10)',
  '        self.g = nn.Linear(self.k, 2)',
  '    def forward(self, x):',
  '        return self.g(self.fc(self.features(x).flatten(1))[:, :5])',
  '',
].join('\n');

describe('entry points share one interpreter configuration', () => {
  it('a dummy forward in __init__ sizes the Linear the same through analyzeEntry and profileEntry', () => {
    const built = analyzeEntry(DUMMY_FORWARD, '/m.py', 'M()');
    const profiled = profileEntry(DUMMY_FORWARD, '/m.py', 'M()', { input: [1, 3, 32, 32] });
    const rows = (layers: readonly { path: string; type: string; params: number | null }[]) =>
      layers.map((l) => `${l.path} ${l.type} ${l.params}`);
    // 8·30·30 = 7200 features; Linear(7200, 10) and Linear(5, 2) with biases
    assert.deepStrictEqual(rows(built.layers), ['features.0 Conv2d 224', 'features.1 ReLU 0', 'fc Linear 72010', 'g Linear 12']);
    assert.deepStrictEqual(rows(built.layers), rows(profiled.layers));
    assert.strictEqual(built.totals.params, 224 + 72010 + 12);
    assert.strictEqual(profiled.totals.params, built.totals.params);
  });
});
