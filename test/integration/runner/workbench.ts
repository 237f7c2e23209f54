// Opens the code-server workbench in Debian's Chromium through playwright-core and runs the extension
// tests in it: the extension under development and the mocha suite go in through the workbench `payload`
// URL parameter, and the result comes back through `window.codeAutomationExit(code)`.
// The built workbench only honours `payload` when `developmentOptions.enableSmokeTestDriver` is set in its
// configuration <meta>; code-server has no flag for that, so an init script sets it before the workbench reads it.
import * as fs from 'fs';
import * as path from 'path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import type { ClickRequest, KeysRequest, QueryRequest, ScreenshotRequest, SelectRequest } from './driverServer';
import { chromiumPath } from './paths';

export interface WorkbenchOptions {
  readonly origin: string;
  readonly authority: string;
  readonly workspace: string;
  readonly extensionDevelopmentPath: string;
  readonly extensionTestsPath: string;
  readonly profileDir: string;
  readonly tmpDir: string;
  /** Browser console and workbench log lines go here. */
  readonly logFile: string;
  /** Called with each workbench log entry the smoke-test driver reports (level, console arguments). */
  readonly onLog?: (type: string, args: unknown) => void;
}

export interface Workbench {
  readonly page: Page;
  /** Resolves with the extension-test exit code of the first run of the suite. */
  readonly exitCode: Promise<number>;
  /** Resolves with the next extension-test exit code the workbench reports (one per run of the suite). */
  nextExit(): Promise<number>;
  screenshot(req: ScreenshotRequest, file: string): Promise<string>;
  click(req: ClickRequest): Promise<void>;
  keys(req: KeysRequest): Promise<void>;
  select(req: SelectRequest): Promise<void>;
  /** Once the request's condition holds in some frame: the texts of every match in every frame. */
  query(req: QueryRequest): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * Between two looks at the page's frames. Webviews and notebook outputs live in frames that appear, navigate and
 * fill asynchronously, and no single Playwright wait spans frames that do not exist yet: the runner polls for the
 * condition it was asked about (never for time: each caller stops as soon as its condition holds).
 */
const FRAME_POLL_MS = 100;
const nextLook = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, FRAME_POLL_MS));

/**
 * The element matching `selector` (containing `text`) in any frame of the page. Webviews are
 * cross-origin iframes inside iframes, which `document.querySelectorAll` in the page cannot see;
 * Playwright's frames can. Polls the frames until the condition holds or the time is up.
 * `strict` (for clicks and picks): more than one match is an error, as in Playwright's strict mode, instead of
 * acting on whichever happens to come first.
 */
async function findInFrames(page: Page, selector: string, text: string | undefined, timeoutMs: number, strict = false): Promise<Locator> {
  const deadline = Date.now() + timeoutMs;
  const what = `${selector}${text ? ` containing ${JSON.stringify(text)}` : ''}`;
  for (;;) {
    const found: Locator[] = [];
    let count = 0;
    for (const frame of page.frames()) {
      try {
        const all = frame.locator(selector);
        const match = text ? all.filter({ hasText: text }) : all;
        const n = await match.count();
        if (n > 0) {
          found.push(match);
          count += n;
        }
      } catch {
        // A frame that navigated or went away while we looked.
      }
    }
    if (strict && count > 1) throw new Error(`${count} elements match ${what}; make the selector name exactly one`);
    if (found[0]) return found[0].first();
    if (Date.now() > deadline) throw new Error(`no frame has ${what} after ${timeoutMs} ms`);
    await nextLook();
  }
}

/** Longest wait for the workbench page to load, and for one action (click, pick) on an element already found. */
const WORKBENCH_LOAD_GUARD_MS = 10 * 60_000;
const ACTION_GUARD_MS = 2 * 60_000;
/**
 * Longest wait for a condition a test asks for (an element, a text) when the request names none. A guard, not a
 * wait: a request returns as soon as its condition holds. Generous, because on a loaded 2-core machine a webview
 * or a playground run can take minutes to show what takes seconds otherwise; only a broken state waits this long.
 */
const CONDITION_GUARD_MS = 5 * 60_000;

/** Runs in the page before any of its scripts: turns on the smoke-test driver so `payload` is honoured. */
function enableSmokeTestDriver(): void {
  const id = 'vscode-workbench-web-configuration';
  const patch = (): boolean => {
    const meta = document.getElementById(id);
    const raw = meta?.getAttribute('data-settings');
    if (!meta || !raw) return false;
    const config = JSON.parse(raw) as { developmentOptions?: Record<string, unknown> };
    if (config.developmentOptions?.['enableSmokeTestDriver'] === true) return true;
    config.developmentOptions = { ...config.developmentOptions, enableSmokeTestDriver: true };
    meta.setAttribute('data-settings', JSON.stringify(config));
    return true;
  };
  if (patch()) return;
  const observer = new MutationObserver(() => {
    if (patch()) observer.disconnect();
  });
  observer.observe(document, { childList: true, subtree: true, attributes: true });
}

export async function openWorkbench(o: WorkbenchOptions): Promise<Workbench> {
  const log = fs.createWriteStream(o.logFile, { flags: 'a' });
  const context: BrowserContext = await chromium.launchPersistentContext(o.profileDir, {
    executablePath: chromiumPath,
    headless: true,
    viewport: { width: 1280, height: 800 },
    env: { ...process.env, TMPDIR: o.tmpDir, HOME: path.dirname(o.profileDir) } as Record<string, string>,
    args: [
      '--no-sandbox',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-gpu',
    ],
  });
  // Playwright's 30 s defaults for navigations and actions are guards that a loaded 2-core machine trips (the
  // workbench page took longer than 30 s to load there): the runner's own guard is CONVLENS_IT_TIMEOUT_MS.
  context.setDefaultNavigationTimeout(WORKBENCH_LOAD_GUARD_MS);
  context.setDefaultTimeout(ACTION_GUARD_MS);
  const page = context.pages()[0] ?? (await context.newPage());
  const t0 = Date.now();
  const stamp = (): string => `${String(Date.now() - t0).padStart(6)}ms`;
  page.on('console', (m) => log.write(`${stamp()} [console.${m.type()}] ${m.text()}\n`));
  page.on('pageerror', (e) => log.write(`${stamp()} [pageerror] ${e.message}\n`));

  // Exit codes in the order the runs of the suite report them (a window reload starts another run).
  const exits: number[] = [];
  let waiting: ((code: number) => void) | undefined;
  let reportFirst: (code: number) => void = () => undefined;
  const exitCode = new Promise<number>((resolve) => {
    reportFirst = resolve;
  });
  // exposeFunction and addInitScript hold across navigations, so a reloaded window (Reload Window) reports here too.
  await page.exposeFunction('codeAutomationExit', (code: unknown) => {
    const value = typeof code === 'number' ? code : 1;
    log.write(`${stamp()} [runner] the suite exited with ${value}\n`);
    reportFirst(value);
    if (waiting) {
      const w = waiting;
      waiting = undefined;
      w(value);
    } else exits.push(value);
  });
  await page.exposeFunction('codeAutomationLog', (type: unknown, args: unknown) => {
    log.write(`${stamp()} [automation.${String(type)}] ${JSON.stringify(args)}\n`);
    o.onLog?.(String(type), args);
  });
  await page.addInitScript(enableSmokeTestDriver);

  const remote = (p: string): string => `vscode-remote://${o.authority}${p}`;
  const payload = [
    ['extensionDevelopmentPath', remote(o.extensionDevelopmentPath)],
    ['extensionTestsPath', remote(o.extensionTestsPath)],
    ['skipWelcome', 'true'],
    ['skipReleaseNotes', 'true'],
  ];
  const url = `${o.origin}/?folder=${encodeURIComponent(o.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  // Only the navigation is awaited, not the page's load event: on a loaded machine the workbench's scripts take
  // longer than goto's 30 s to load, and the run's own time-out (the runner's) is the one that should apply.
  await page.goto(url, { waitUntil: 'commit' });

  return {
    page,
    exitCode,
    nextExit() {
      const code = exits.shift();
      return code !== undefined
        ? Promise.resolve(code)
        : new Promise<number>((resolve) => {
            waiting = resolve;
          });
    },
    async screenshot(req, file) {
      const timeout = req.timeoutMs ?? CONDITION_GUARD_MS;
      fs.mkdirSync(path.dirname(file), { recursive: true });
      try {
        if (req.inFrames) {
          await findInFrames(page, req.waitForSelector ?? 'body', req.waitForText, timeout);
        } else if (req.waitForSelector && !req.waitForText) {
          await page.locator(req.waitForSelector).first().waitFor({ state: 'visible', timeout });
        }
        if (req.waitForText && !req.inFrames) {
          // Editors render spaces in injected text (inlay hints) as U+00A0, so compare with whitespace normalised.
          await page.waitForFunction(
            ([sel, text]) => {
              const norm = (t: string): string => t.replace(/\s+/g, ' ');
              return Array.from(document.querySelectorAll(sel ?? 'body')).some((el) =>
                norm((el as HTMLElement).innerText).includes(norm(text ?? '')),
              );
            },
            [req.waitForSelector, req.waitForText],
            { timeout },
          );
        }
      } catch (err) {
        // Keep what the page looked like, and say which part of the condition held, to debug the test.
        const failed = file.replace(/\.png$/, '.failed.png');
        await page.screenshot({ path: failed });
        const found = req.waitForSelector ? await page.locator(req.waitForSelector).count() : -1;
        const classes = await page.evaluate(() => document.querySelector('.monaco-workbench')?.className ?? '');
        throw new Error(
          `${err instanceof Error ? err.message.split('\n')[0] : String(err)}; ${found} element(s) match ` +
            `${req.waitForSelector ?? '(none)'}; workbench classes: ${classes}; page saved as ${failed}`,
          { cause: err },
        );
      }
      await page.screenshot({ path: file });
      return file;
    },
    async click(req) {
      const target = await findInFrames(page, req.selector, req.text, req.timeoutMs ?? CONDITION_GUARD_MS, true);
      await target.click();
    },
    async keys(req) {
      for (const step of req.steps) {
        if ('press' in step) await page.keyboard.press(step.press);
        else await page.keyboard.type(step.type);
      }
    },
    async select(req) {
      const target = await findInFrames(page, req.selector, undefined, req.timeoutMs ?? CONDITION_GUARD_MS, true);
      await target.selectOption(req.value);
    },
    async query(req) {
      const norm = (t: string): string => t.replace(/\s+/g, ' ').trim();
      const deadline = Date.now() + (req.timeoutMs ?? CONDITION_GUARD_MS);
      for (;;) {
        const texts: string[] = [];
        for (const frame of page.frames()) {
          // A frame may go away while it is read (a webview being re-created); it has nothing to give then.
          texts.push(
            ...(
              await frame
                .locator(req.selector)
                .allInnerTexts()
                .catch(() => [])
            ).map(norm),
          );
        }
        if (texts.length > 0 && (req.waitForText === undefined || texts.some((t) => t.includes(norm(req.waitForText!))))) return texts;
        if (Date.now() > deadline) {
          throw new Error(
            `no frame has ${req.selector}${req.waitForText ? ` containing ${JSON.stringify(req.waitForText)}` : ''} after ${req.timeoutMs ?? CONDITION_GUARD_MS} ms; matches: ${JSON.stringify(texts.slice(0, 5)).slice(0, 400)}`,
          );
        }
        // Webviews and notebook outputs appear and fill asynchronously: look again (see nextLook).
        await nextLook();
      }
    },
    async close() {
      await context.close();
      await new Promise<void>((resolve) => log.end(() => resolve()));
    },
  };
}
