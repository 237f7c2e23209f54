// Drives the REAL built notebook renderer (dist/renderer/index.js, an ES module) in Debian's Chromium:
// the page imports it from another loopback origin (as a notebook webview loads extension files) and
// calls its `activate` with a fake RendererContext; outputs are rendered into elements of the page.
// Messages the renderer posts come back to the test; the test can answer as the extension host would.
import { promises as fs } from 'fs';
import type * as http from 'http';
import * as path from 'path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { assetServer, listen, ROOT } from './harness';

const CHROMIUM = process.env['CONVLENS_CHROMIUM'] ?? '/usr/bin/chromium';

/** The notebook webview allows what ORT needs (wasm compile, fetching the .wasm) from the extension's origin. */
function pageHtml(assetOrigin: string): string {
  const csp = [
    "default-src 'none'",
    `script-src ${assetOrigin} 'wasm-unsafe-eval'`,
    `style-src ${assetOrigin}`,
    `img-src ${assetOrigin} data: blob:`,
    `connect-src ${assetOrigin}`,
    `worker-src ${assetOrigin} blob:`,
  ].join('; ');
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${csp}"><title>renderer test</title></head><body></body></html>`;
}

export interface RendererPageOptions {
  readonly trusted?: boolean;
  /** False: the context has no postMessage/onDidReceiveMessage (messaging unavailable). */
  readonly messaging?: boolean;
  readonly theme?: 'dark' | 'light';
}

export interface RendererStats {
  views: number;
  ortSessions: number;
  profileReadIn: 'worker' | 'main thread' | null;
}

export class RendererPage {
  readonly posted: unknown[] = [];
  readonly errors: string[] = [];
  private waiters: { match: (m: unknown) => boolean; resolve: (m: unknown) => void }[] = [];

  constructor(readonly page: Page) {}

  receive(m: unknown): void {
    this.posted.push(m);
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) {
      if (w.match(m)) w.resolve(m);
      else this.waiters.push(w);
    }
  }

  waitForPost(match: (m: Record<string, unknown>) => boolean, timeoutMs = 120_000): Promise<Record<string, unknown>> {
    const isMatch = (m: unknown): boolean => typeof m === 'object' && m !== null && match(m as Record<string, unknown>);
    const seen = this.posted.find(isMatch);
    if (seen) return Promise.resolve(seen as Record<string, unknown>);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for a renderer message')), timeoutMs);
      this.waiters.push({
        match: isMatch,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m as Record<string, unknown>);
        },
      });
    });
  }

  /** Renders one output item: `data` is the output's bytes as text (JSON for valid payloads). */
  async render(id: string, mime: string, data: string): Promise<void> {
    await this.page.evaluate(
      async ([id, mime, data]) => {
        const w = window as unknown as { __convlensRender(id: string, mime: string, data: string): Promise<void> };
        await w.__convlensRender(id, mime, data);
      },
      [id, mime, data] as const,
    );
  }

  /** Delivers a message to the renderer as the extension host's postMessage would. */
  async deliver(message: unknown): Promise<void> {
    await this.page.evaluate((m) => (window as unknown as { __convlensDeliver(m: unknown): void }).__convlensDeliver(m), message as never);
  }

  async dispose(id?: string): Promise<void> {
    await this.page.evaluate(
      (id) =>
        (window as unknown as { __convlensApi: { disposeOutputItem(id?: string): void } }).__convlensApi.disposeOutputItem(id ?? undefined),
      id ?? null,
    );
  }

  /** Outputs holding a view, live ORT sessions, and where the last profile was read ('worker', or 'main thread' where no worker starts). */
  async stats(): Promise<RendererStats> {
    return this.page.evaluate(() => (window as unknown as { __convlensApi: { stats(): RendererStats } }).__convlensApi.stats());
  }

  /** The output element's locator (Playwright's CSS selectors pierce the open shadow root). */
  output(id: string, selector = ''): ReturnType<Page['locator']> {
    return this.page.locator(`#out-${id} ${selector}`.trim());
  }
}

export class RendererHarness {
  private constructor(
    private readonly browser: Browser,
    private readonly servers: http.Server[],
    private readonly pageUrl: string,
    readonly assetOrigin: string,
  ) {}

  static async start(): Promise<RendererHarness> {
    await fs.access(path.join(ROOT, 'dist', 'renderer', 'index.js')).catch(() => {
      throw new Error('dist/renderer/index.js is missing: run `npm run build` first');
    });
    const assets = await assetServer([path.join(ROOT, 'dist', 'renderer')]);
    const html = pageHtml(assets.origin);
    const page = await listen((_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html));
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    return new RendererHarness(browser, [assets.server, page.server], `${page.origin}/notebook.html`, assets.origin);
  }

  /** A fresh page with the renderer activated on a fake context. */
  async open(opts: RendererPageOptions = {}): Promise<RendererPage> {
    const context = await this.browser.newContext({ viewport: { width: 1000, height: 900 }, colorScheme: opts.theme ?? 'dark' });
    const page = await context.newPage();
    const rp = new RendererPage(page);
    page.on('console', (m) => {
      if (m.type() === 'error') rp.errors.push(m.text());
    });
    page.on('pageerror', (e) => rp.errors.push(String(e)));
    await page.exposeBinding('__convlensToHost', (_source, m: unknown) => rp.receive(m));
    await page.goto(this.pageUrl);
    // A string, so that TypeScript's CommonJS output does not turn this import() into require().
    const url = `${this.assetOrigin}/dist/renderer/index.js`;
    await page.evaluate(`import(${JSON.stringify(url)}).then((m) => { window.__convlensModule = m; })`);
    await page.evaluate(
      async ([trusted, messaging, theme]) => {
        const w = window as unknown as Record<string, unknown>;
        // VS Code's theme variables, as a notebook webview defines them on its root element.
        const vars: Record<string, string> =
          theme === 'light'
            ? {
                '--vscode-foreground': '#3b3b3b',
                '--vscode-editor-background': '#ffffff',
                '--vscode-panel-border': '#e5e5e5',
                '--vscode-descriptionForeground': '#717171',
                '--vscode-charts-blue': '#1a85ff',
              }
            : {
                '--vscode-foreground': '#cccccc',
                '--vscode-editor-background': '#1f1f1f',
                '--vscode-panel-border': '#2b2b2b',
                '--vscode-descriptionForeground': '#9d9d9d',
                '--vscode-charts-blue': '#3794ff',
              };
        for (const [k, v] of Object.entries(vars)) document.documentElement.style.setProperty(k, v);
        document.body.style.background = 'var(--vscode-editor-background)';
        const listeners = new Set<(m: unknown) => void>();
        let state: unknown;
        const ctx = {
          workspace: { isTrusted: trusted },
          getState: () => state,
          setState: (s: unknown) => {
            state = JSON.parse(JSON.stringify(s));
          },
          getRenderer: async () => undefined,
          ...(messaging
            ? {
                postMessage: (m: unknown) => (w['__convlensToHost'] as (m: unknown) => void)(JSON.parse(JSON.stringify(m))),
                onDidReceiveMessage: (l: (m: unknown) => void) => {
                  listeners.add(l);
                  return { dispose: () => listeners.delete(l) };
                },
              }
            : {}),
        };
        const mod = w['__convlensModule'] as { activate(ctx: unknown): Promise<unknown> | unknown };
        const api = (await mod.activate(ctx)) as { renderOutputItem(item: unknown, element: HTMLElement, signal: AbortSignal): unknown };
        w['__convlensApi'] = api;
        w['__convlensDeliver'] = (m: unknown) => {
          for (const l of listeners) l(JSON.parse(JSON.stringify(m)));
        };
        // An output item as VS Code hands it over: its bytes are there before the renderer is called.
        w['__convlensItem'] = (id: string, mime: string, data: string) => {
          const bytes = new TextEncoder().encode(data);
          return {
            id,
            mime,
            metadata: {},
            data: () => bytes,
            text: () => data,
            json: () => JSON.parse(data),
            blob: () => new Blob([bytes], { type: mime }),
          };
        };
        w['__convlensRenderItem'] = async (item: { id: string }) => {
          let element = document.getElementById(`out-${item.id}`);
          if (!element) {
            element = document.createElement('div');
            element.id = `out-${item.id}`;
            document.body.append(element);
          }
          await api.renderOutputItem(item, element, new AbortController().signal);
        };
        w['__convlensRender'] = async (id: string, mime: string, data: string) =>
          (w['__convlensRenderItem'] as (item: unknown) => Promise<void>)(
            (w['__convlensItem'] as (...a: string[]) => unknown)(id, mime, data),
          );
      },
      [opts.trusted ?? true, opts.messaging ?? true, opts.theme ?? 'dark'] as const,
    );
    return rp;
  }

  async close(): Promise<void> {
    await this.browser.close();
    for (const s of this.servers) s.close();
  }
}
