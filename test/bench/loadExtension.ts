// Run in a fresh Node process by the engine benchmark: loads dist/extension.js and calls activate() with a
// stand-in `vscode` (every API is a no-op proxy), and prints the milliseconds each took as JSON. What it
// measures is the extension's own share of activation (loading its bundle, wiring its features); the real
// workbench's figure is bench:editor's.
import Module from 'module';
import * as path from 'path';
import { performance } from 'perf_hooks';

const stub: unknown = new Proxy(function () {}, {
  get: (_t, key) => (key === Symbol.iterator ? [][Symbol.iterator].bind([]) : key === 'then' ? undefined : stub),
  apply: () => stub,
  construct: () => stub as object,
});
const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
const load = loader._load;
loader._load = function (request: string, ...rest: unknown[]) {
  return request === 'vscode' ? stub : load.call(this, request, ...rest);
};

const bundle = path.resolve(process.argv[2] ?? 'dist/extension.js');
const t0 = performance.now();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ext = require(bundle) as { activate(context: unknown): void };
const t1 = performance.now();
let activateMs: number | null;
try {
  const context = {
    subscriptions: [] as unknown[],
    extensionPath: path.dirname(path.dirname(bundle)),
    extensionUri: stub,
    workspaceState: stub,
  };
  ext.activate(context);
  activateMs = performance.now() - t1;
} catch {
  activateMs = null;
}
console.log(JSON.stringify({ requireMs: t1 - t0, activateMs }));
