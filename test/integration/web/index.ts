// The extensionTestsPath module of the web suite (`npm run test:web`), loaded by the web worker extension host
// of code-server's workbench: no Node there, so it is one webpack bundle (web/webpack.config.js) with mocha's
// browser build, and its output goes to the worker's console (the runner copies it from the page).
import 'mocha/mocha';

export function run(): Promise<void> {
  mocha.setup({ ui: 'bdd', reporter: undefined, timeout: 60_000 });
  // The test files register their suites when loaded, after setup.
  require('./web.test');
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} web test(s) failed`)) : resolve()));
  });
}
