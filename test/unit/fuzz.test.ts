// The seeded hostile-input fuzz run (issue 13), bounded: mutated real model files, pathological
// statements inserted into them and generated models through the core with small budgets. No crash,
// no run past the step budget, no negative or non-finite number. Hyperparameters stay non-negative
// here: impossible layers (negative channels, float sizes) are issue 13 item 4, measured by bench:fuzz.
import * as assert from 'assert';
import { fuzzInputs, runOne } from '../fuzz/hostileFuzzer';
import { repoRoot } from './helpers/fixtureFiles';

describe('hostile input: seeded fuzz run through the core', () => {
  const inputs = fuzzInputs(repoRoot, 13, 40, true);
  it(`${inputs.length} inputs: no crash, no run past the budget, no negative or non-finite number`, function () {
    this.timeout(600_000);
    const problems: string[] = [];
    let stops = 0;
    for (const input of inputs) {
      const o = runOne(input);
      if (o.budgetStop) stops++;
      if (o.crash) problems.push(`${input.name}: crash: ${o.crash.split('\n')[0]}`);
      if (o.pastBudget) problems.push(`${input.name}: ran past the budget`);
      for (const b of o.badNumbers) problems.push(`${input.name}: ${b}`);
    }
    assert.deepStrictEqual(problems, []);
    // The pathological category must actually reach the budgets (a fuzzer that never stops proves nothing).
    assert.ok(stops >= 20, `budget stops: ${stops}`);
  });
});
