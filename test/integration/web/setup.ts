// Loads mocha's browser build and defines the BDD globals; index.ts imports it before the test files, which
// call describe/it as they load. Mocha's report goes to the runner through the workbench's log: the web worker
// host forwards console.log to the page, whose smoke-test driver hands each entry to the runner's
// `codeAutomationLog`; the runner keeps the entries that start with SUITE_LOG_PREFIX.
import 'mocha/mocha';
import { SUITE_LOG_PREFIX } from './runnerContract';

// The per-test guard, as in the Node suite (suite/index.ts): generous, since a loaded machine makes tests take minutes.
mocha.setup({ ui: 'bdd', reporter: undefined, timeout: 10 * 60_000 });

/** printf-style formatting of mocha's report lines (%s, %d, %i; extra arguments appended), like Node's util.format. */
function format(...args: unknown[]): string {
  const [first, ...rest] = args;
  if (typeof first !== 'string') return args.map(String).join(' ');
  const text = first.replace(/%[sdi%]/g, (spec) => {
    if (spec === '%%') return '%';
    if (rest.length === 0) return spec;
    const value = rest.shift();
    return spec === '%s' ? String(value) : String(Math.trunc(Number(value)));
  });
  return [text, ...rest.map(String)].join(' ');
}

// One line per console.log, already formatted, so the runner need not know mocha's format strings.
Mocha.reporters.Base.consoleLog = (...args: unknown[]): void => console.log(`${SUITE_LOG_PREFIX}${format(...args)}`);
