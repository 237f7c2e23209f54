// Loads mocha's browser build and defines the BDD globals; index.ts imports it before the test files, which
// call describe/it as they load.
import 'mocha/mocha';

// The per-test guard, as in the Node suite (suite/index.ts): generous, since a loaded machine makes tests take minutes.
mocha.setup({ ui: 'bdd', reporter: undefined, timeout: 10 * 60_000 });
