// Writes media/python/runtimeSpecs.json, the runtime helper's hyperparameter table, from the op specs
// (extension/core/torch). Run `npm run gen:runtime-specs` after changing a spec's `stored` keys;
// test/unit/opSpecs.test.ts fails while the committed file is out of date.
import * as fs from 'fs';
import * as path from 'path';
import { runtimeSpecsJson } from '../../extension/core/torch/runtimeSpecs';

const file = path.join(__dirname, '..', '..', '..', 'media', 'python', 'runtimeSpecs.json');
fs.writeFileSync(file, runtimeSpecsJson());
process.stdout.write(`wrote ${file}\n`);
