// Loads mocha's browser build and defines the BDD globals; index.ts imports it before the test files, which
// call describe/it as they load.
import 'mocha/mocha';

mocha.setup({ ui: 'bdd', reporter: undefined, timeout: 60_000 });
