// Drives the REAL built playground bundle (dist/webview) in Debian's Chromium through playwright-core.
// The page is the exact HTML the extension renders (same CSP, nonce, escaped state), served from one
// loopback origin while the bundle, .wasm and CSS come from another, as in a VS Code webview.
// `acquireVsCodeApi` is faked by an init script; messages flow through the same protocol.
import { randomBytes } from 'crypto';
import { promises as fs } from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { makeNonce, renderPlaygroundHtml } from '../../extension/features/convPanelHtml';
import {
  DEFAULT_PLAYGROUND_STATE,
  type BackendChoice,
  type FromWebview,
  type PlaygroundParams,
  type PlaygroundState,
} from '../../extension/protocol/playgroundMessages';
import { isWebviewToHost } from '../../extension/protocol/validate';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const CHROMIUM = process.env['CONVLENS_CHROMIUM'] ?? '/usr/bin/chromium';
const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.map': 'application/json',
};

export function listen(handler: http.RequestListener): Promise<{ server: http.Server; origin: string }> {
  const server = http.createServer(handler);
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      resolve({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
    }),
  );
}

/** Serves files under `roots` only (by default the playground's localResourceRoots: dist/webview, dist/renderer for ORT's .wasm, and media), with CORS. */
export async function assetServer(
  roots = [path.join(ROOT, 'dist', 'webview'), path.join(ROOT, 'dist', 'renderer'), path.join(ROOT, 'media')],
): Promise<{ server: http.Server; origin: string }> {
  return listen((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const file = path.normalize(path.join(ROOT, decodeURIComponent(url.pathname)));
      if (!roots.some((r) => file.startsWith(r + path.sep))) {
        res.writeHead(404).end();
        return;
      }
      try {
        const body = await fs.readFile(file);
        res
          .writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'access-control-allow-origin': '*' })
          .end(body);
      } catch {
        res.writeHead(404).end();
      }
    })();
  });
}

export type RunReply = FromWebview.RunCompleted | FromWebview.RunFailed;

export class PlaygroundPage {
  readonly messages: FromWebview.Message[] = [];
  readonly consoleErrors: string[] = [];
  private readonly waiters: { match: (m: FromWebview.Message) => boolean; resolve: (m: FromWebview.Message) => void }[] = [];
  private nextId = 0;

  constructor(readonly page: Page) {}

  receive(m: unknown): void {
    if (!isWebviewToHost(m)) throw new Error(`webview sent an invalid message: ${JSON.stringify(m).slice(0, 200)}`);
    this.messages.push(m);
    for (const w of this.waiters.splice(0)) {
      if (w.match(m)) w.resolve(m);
      else this.waiters.push(w);
    }
  }

  waitFor(match: (m: FromWebview.Message) => boolean, timeoutMs = 120_000): Promise<FromWebview.Message> {
    const seen = this.messages.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for a webview message')), timeoutMs);
      this.waiters.push({
        match,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      });
    });
  }

  /** Posts a message to the webview as the extension host would (a window `message` event). */
  async send(message: unknown): Promise<void> {
    await this.page.evaluate((m) => window.postMessage(m, '*'), message as never);
  }

  /** Sends a `runRequest` and waits for its answer. */
  async run(
    params: PlaygroundParams,
    backend: BackendChoice,
    opts: { repeats?: number; includeTensors?: boolean } = {},
  ): Promise<RunReply> {
    const requestId = `r${++this.nextId}`;
    const reply = this.waitFor((m) => (m.type === 'runCompleted' || m.type === 'runFailed') && m.requestId === requestId, 300_000);
    await this.send({
      type: 'runRequest',
      requestId,
      params,
      backend,
      repeats: opts.repeats ?? 1,
      includeTensors: opts.includeTensors ?? true,
    });
    const m = await reply;
    if (m.type !== 'runCompleted' && m.type !== 'runFailed') throw new Error('unexpected reply');
    return m;
  }
}

export class Harness {
  private constructor(
    private readonly browser: Browser,
    private readonly servers: http.Server[],
    private readonly pageOrigin: string,
    readonly assetOrigin: string,
  ) {}

  /** Starts the servers and Chromium (WebGPU allowed: SwiftShader's adapter appears with --enable-unsafe-webgpu). */
  static async start(): Promise<Harness> {
    await fs.access(path.join(ROOT, 'dist', 'webview', 'playground.js')).catch(() => {
      throw new Error('dist/webview/playground.js is missing: run `npm run build` first');
    });
    const assets = await assetServer();
    const pages = new Map<string, string>();
    const page = await listen((req, res) => {
      const body = pages.get(new URL(req.url ?? '/', 'http://x').pathname);
      if (body === undefined) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body);
    });
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
        '--enable-unsafe-webgpu',
      ],
      // playwright's launch() gives every browser a fresh temporary profile (user-data dir) and deletes it on close.
    });
    const h = new Harness(browser, [assets.server, page.server], page.origin, assets.origin);
    h.pages = pages;
    return h;
  }

  private pages = new Map<string, string>();
  private pageCount = 0;

  /** Opens the playground document (the extension's own HTML) with `state` as its initial state. */
  async open(
    state: PlaygroundState = DEFAULT_PLAYGROUND_STATE,
    opts: { context?: BrowserContext; waitForFirstRun?: boolean } = {},
  ): Promise<PlaygroundPage> {
    const nonce = makeNonce((n) => randomBytes(n));
    const html = renderPlaygroundHtml({
      cspSource: this.assetOrigin,
      nonce,
      scriptUri: `${this.assetOrigin}/dist/webview/playground.js`,
      styleUri: `${this.assetOrigin}/media/playground.css`,
      state,
    });
    const route = `/playground-${++this.pageCount}.html`;
    this.pages.set(route, html);
    const context = opts.context ?? (await this.browser.newContext({ viewport: { width: 1100, height: 1400 } }));
    const page = await context.newPage();
    const pg = new PlaygroundPage(page);
    page.on('console', (m) => {
      if (m.type() === 'error') pg.consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => pg.consoleErrors.push(String(e)));
    await page.exposeBinding('__convlensToHost', (_source, m: unknown) => pg.receive(m));
    // The fake webview API: state survives reloads (sessionStorage), like VS Code's webview state.
    await page.addInitScript(() => {
      const w = window as unknown as Record<string, unknown>;
      w['__cspViolations'] = [];
      document.addEventListener('securitypolicyviolation', (e) =>
        (w['__cspViolations'] as string[]).push(`${e.violatedDirective} ${e.blockedURI}`),
      );
      w['acquireVsCodeApi'] = () => ({
        postMessage: (m: unknown) => (w['__convlensToHost'] as (m: unknown) => void)(JSON.parse(JSON.stringify(m))),
        getState: () => {
          const s = sessionStorage.getItem('state');
          return s ? JSON.parse(s) : undefined;
        },
        setState: (s: unknown) => {
          sessionStorage.setItem('state', JSON.stringify(s));
          return s;
        },
      });
    });
    await page.goto(`${this.pageOrigin}${route}`);
    await pg.waitFor((m) => m.type === 'ready');
    if (opts.waitForFirstRun !== false)
      await pg.waitFor((m) => (m.type === 'runCompleted' || m.type === 'runFailed') && m.requestId === null);
    return pg;
  }

  async cspViolations(pg: PlaygroundPage): Promise<string[]> {
    return pg.page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations);
  }

  async newContext(): Promise<BrowserContext> {
    return this.browser.newContext({ viewport: { width: 1100, height: 1400 } });
  }

  async close(): Promise<void> {
    await this.browser.close();
    for (const s of this.servers) s.close();
  }
}

export { ROOT };
