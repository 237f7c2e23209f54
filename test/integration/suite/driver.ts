// The tests' side of the runner's loopback endpoint (runner/driverServer.ts): forwards mocha's output to
// the runner and asks it for screenshots of the workbench. Under the desktop runner (no endpoint) log
// lines only go to the console and screenshots are unavailable.
import * as http from 'http';

const driverUrl = process.env['CONVLENS_DRIVER_URL'];

// The request type is the runner's own; a type-only import adds nothing at run time, so the two
// processes still share no code.
export type { ScreenshotRequest } from '../runner/driverServer';
import type { ScreenshotRequest } from '../runner/driverServer';

/** True when a runner that can take screenshots drives this extension host. */
export const canScreenshot = driverUrl !== undefined;

function post(route: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${driverUrl}${route}`, { method: 'POST' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Saves a PNG of the workbench as test-artifacts/NAME.png once the condition holds; returns its path. */
export async function screenshot(req: ScreenshotRequest): Promise<string> {
  if (!driverUrl) throw new Error('no screenshot endpoint (CONVLENS_DRIVER_URL unset)');
  const res = await post('/screenshot', JSON.stringify(req));
  if (res.status !== 200) throw new Error(`screenshot ${req.name} failed: ${res.text}`);
  return (JSON.parse(res.text) as { path: string }).path;
}

/** Clicks an element like a user would, in any frame (e.g. a row inside a webview). */
export async function click(selector: string, text?: string): Promise<void> {
  if (!driverUrl) throw new Error('no driver endpoint (CONVLENS_DRIVER_URL unset)');
  const res = await post('/click', JSON.stringify({ selector, ...(text ? { text } : {}) }));
  if (res.status !== 204) throw new Error(`click ${selector} failed: ${res.text}`);
}

/** Presses keys and types text into the focused workbench element, like a user. */
export async function keys(...steps: ({ press: string } | { type: string })[]): Promise<void> {
  if (!driverUrl) throw new Error('no driver endpoint (CONVLENS_DRIVER_URL unset)');
  const res = await post('/keys', JSON.stringify({ steps }));
  if (res.status !== 204) throw new Error(`keys failed: ${res.text}`);
}

/**
 * The texts (whitespace normalised) of the elements matching `selector` anywhere in the workbench,
 * webviews and notebook outputs included (open shadow roots too), once one of them contains `waitForText`.
 */
export async function queryFrames(selector: string, waitForText?: string, timeoutMs?: number): Promise<string[]> {
  if (!driverUrl) throw new Error('no driver endpoint (CONVLENS_DRIVER_URL unset)');
  const res = await post(
    '/query',
    JSON.stringify({ selector, ...(waitForText !== undefined ? { waitForText } : {}), ...(timeoutMs ? { timeoutMs } : {}) }),
  );
  if (res.status !== 200) throw new Error(`query ${selector} failed: ${res.text}`);
  return (JSON.parse(res.text) as { texts: string[] }).texts;
}

/**
 * The text of the one element matching `selector` (once it contains `waitForText`): like queryFrames, but more than
 * one match is an error, so a test never reads whichever of several elements happened to come first.
 */
export async function queryOne(selector: string, waitForText?: string, timeoutMs?: number): Promise<string> {
  const texts = await queryFrames(selector, waitForText, timeoutMs);
  if (texts.length !== 1)
    throw new Error(`${texts.length} elements match ${selector}, expected one: ${JSON.stringify(texts.slice(0, 5)).slice(0, 400)}`);
  return texts[0]!;
}

/** Picks the option with `value` in a <select> (in any frame, e.g. a webview), like a user; fires its change event. */
export async function selectOption(selector: string, value: string): Promise<void> {
  if (!driverUrl) throw new Error('no driver endpoint (CONVLENS_DRIVER_URL unset)');
  const res = await post('/select', JSON.stringify({ selector, value }));
  if (res.status !== 204) throw new Error(`select ${selector}=${value} failed: ${res.text}`);
}

/**
 * Which run of the suite this extension host is in: `main`, or `afterReload` (the runner reloaded the window
 * because a test asked it to with `reloadAfterRun`; `handover` is what that test passed). Asked once, by index.ts.
 */
export interface RunPhase {
  readonly phase: 'main' | 'afterReload';
  readonly handover: unknown;
}

let currentPhase: RunPhase = { phase: 'main', handover: null };

export async function fetchPhase(): Promise<RunPhase> {
  if (driverUrl) {
    const res = await post('/phase', '');
    if (res.status !== 200) throw new Error(`phase failed: ${res.text}`);
    currentPhase = JSON.parse(res.text) as RunPhase;
  }
  return currentPhase;
}

/** The run this is (see fetchPhase; `main` under the desktop runner). */
export function runPhase(): RunPhase {
  return currentPhase;
}

let reloadWanted = false;

/**
 * Asks for the window to be reloaded once this run of the suite is over (index.ts runs Reload Window then) and
 * for `handover` (JSON) to be given to the run after the reload.
 */
export async function reloadAfterRun(handover: unknown): Promise<void> {
  if (!driverUrl) throw new Error('no driver endpoint (CONVLENS_DRIVER_URL unset)');
  const res = await post('/reload', JSON.stringify(handover));
  if (res.status !== 204) throw new Error(`reload request failed: ${res.text}`);
  reloadWanted = true;
}

/** True once a test of this run asked for a reload. */
export function reloadRequested(): boolean {
  return reloadWanted;
}

/** Tells the runner this run is over with `failures`, before the window reloads. */
export async function reportRunDone(failures: number): Promise<void> {
  const res = await post('/run-done', JSON.stringify({ failures }));
  if (res.status !== 204) throw new Error(`run-done failed: ${res.text}`);
}

let queue: Promise<unknown> = Promise.resolve();

/** Sends a chunk of output to the runner, in order. */
export function forwardLog(text: string): void {
  if (!driverUrl) return;
  queue = queue.then(() => post('/log', text)).catch(() => undefined);
}

/** Resolves when every forwarded chunk has been delivered. */
export function flushLog(): Promise<unknown> {
  return queue;
}
