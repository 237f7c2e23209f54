// The text of media/python/runtimeSpecs.json: for each torch.nn layer, the hyperparameters the runtime
// helper reads off a live module (the specs' `stored` keys). Generated, never edited by hand.
import { runtimeTable } from './index';

export function runtimeSpecsJson(): string {
  const comment =
    'Generated from extension/core/torch/* by `npm run gen:runtime-specs`; test/unit/opSpecs.test.ts checks it is up to date. ' +
    'layers: torch.nn class name -> keys to record: an attribute name, or {key, attr?, isSet?, default?}.';
  // One line per layer, so a spec change is a one-line diff.
  const rows = Object.entries(runtimeTable()).map(([name, keys]) => `  ${JSON.stringify(name)}: ${JSON.stringify(keys)}`);
  return `{\n "comment": ${JSON.stringify(comment)},\n "layers": {\n${rows.join(',\n')}\n }\n}\n`;
}
