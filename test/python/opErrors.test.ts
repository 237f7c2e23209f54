// The messages of test/unit/helpers/impossibleLayers.ts against real torch: each constructor call and
// forward is run in Debian's torch 1.13 and must raise exactly that exception with that first line.
import * as assert from 'assert';
import { IMPOSSIBLE_LAYERS } from '../unit/helpers/impossibleLayers';
import { runTorchPython } from './torchPython';

const SCRIPT = `
import json, sys, torch, torch.nn as nn
out = []
for ctor, shape in json.loads(sys.argv[1]):
    try:
        eval(ctor)(torch.zeros(*shape))
        out.append("no error")
    except Exception as e:
        out.append("%s: %s" % (type(e).__name__, str(e).splitlines()[0]))
print(json.dumps(out))
`;

describe('impossible layers raise what torch 1.13 raises', () => {
  it("every message in impossibleLayers.ts is torch's own", async () => {
    const r = await runTorchPython(['-W', 'ignore', '-c', SCRIPT, JSON.stringify(IMPOSSIBLE_LAYERS.map(([c, i]) => [c, i]))]);
    assert.strictEqual(r.code, 0, r.stderr);
    const got = JSON.parse(r.stdout) as string[];
    IMPOSSIBLE_LAYERS.forEach(([ctor, input, message], i) => assert.strictEqual(got[i], message, `${ctor} on ${JSON.stringify(input)}`));
  });
});
