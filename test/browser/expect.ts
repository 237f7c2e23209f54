// Playwright's web-first assertions (`expect(locator).toHaveText(...)`, `toHaveCount`, `toHaveValue`...), used
// outside Playwright's own test runner: each one retries until the page reaches the asserted state, so a test
// never reads a page that has not yet drawn what it asserts (outputs, playground runs and heatmaps draw
// asynchronously). The timeout is a guard for a loaded machine, not a wait: a passing assertion returns as soon
// as its state holds.
import { expect as playwrightExpect } from '@playwright/test';

export const expect = playwrightExpect.configure({ timeout: 60_000 });
