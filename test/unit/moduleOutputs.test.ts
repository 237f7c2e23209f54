// The output of modules that are not layers (issue 10: the profile view's container rows): what the module's
// last call returned, which is not always its last layer's output; `—` with a reason when it is not known.
import * as assert from 'assert';
import { profileEntry } from '../../extension/core';
import { reportFromProfile } from '../../extension/core/report';
import { parseProfileReport } from '../../extension/protocol/validateReport';

const source = `
import torch
from torch import nn


class Head(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.conv = nn.Conv2d(c, c, 3, padding=1)
        self.pool = nn.MaxPool2d(2)

    def forward(self, x):
        return torch.flatten(self.pool(self.conv(x)), 1)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 8, 3, stride=2, padding=1), nn.ReLU())
        self.blocks = nn.ModuleList([nn.Conv2d(8, 8, 3, padding=1) for _ in range(2)])
        self.head = Head(8)

    def forward(self, x):
        x = self.stem(x)
        for b in self.blocks:
            x = b(x)
        return self.head(x)
`;

describe('module outputs (containers, blocks, the model)', () => {
  const r = profileEntry(source, '/m.py', 'Net()', { input: [1, 3, 16, 16] });
  const byPath = new Map((r.modules ?? []).map((m) => [m.path, m]));

  it("gives each container its last call's output, not its last layer's", () => {
    assert.deepStrictEqual(byPath.get('')?.outputShape, [1, 128]);
    assert.deepStrictEqual(byPath.get('stem')?.outputShape, [1, 8, 8, 8]);
    // Head's last layer (the pool) gives 1×8×4×4; Head itself returns the flattened 1×128.
    assert.deepStrictEqual(byPath.get('head')?.outputShape, [1, 128]);
    assert.deepStrictEqual([...byPath.keys()].sort(), ['', 'blocks', 'head', 'stem'], 'layers are not modules here');
  });

  it('says why a container called child by child has none', () => {
    const blocks = byPath.get('blocks')!;
    assert.strictEqual(blocks.outputShape, null);
    assert.strictEqual(blocks.calls, 0);
    assert.match(blocks.reason!, /never called as a whole/);
  });

  it('carries them through the report and its validator', () => {
    const report = reportFromProfile(r, 'all');
    const parsed = parseProfileReport(JSON.parse(JSON.stringify(report)));
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
    assert.deepStrictEqual(parsed.report.modules, report.modules);
    assert.deepStrictEqual(parsed.report.modules?.find((m) => m.path === 'head')?.outputShape, [1, 128]);
  });

  it('has none without an input shape (nothing ran)', () => {
    const none = profileEntry(source.replace('nn.Conv2d(3, 8', 'nn.Conv2d(unknown_name, 8'), '/m.py', 'Net()');
    assert.strictEqual(none.modules, undefined);
  });
});
