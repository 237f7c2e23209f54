// The extensionTestsPath module of the web suite (`npm run test:web`), loaded by the web worker extension host
// of code-server's workbench: no Node there, so it is one webpack bundle (web/webpack.config.js) with mocha's
// browser build, and its output goes to the worker's console (the runner copies it from the page).
// setup first: the test files register their suites as they load.
import './setup';
import './web.test';

export function run(): Promise<void> {
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      if (failures > 0) reject(new Error(`${failures} web test(s) failed`));
      // A suite that loaded no tests must not pass.
      else if (!runner.stats?.passes) reject(new Error('no web test ran'));
      else resolve();
    });
  });
}
