// A loopback HTTP endpoint through which tests running inside the extension host talk to the runner:
//   POST /log         body: text          → printed by the runner (mocha's reporter output)
//   POST /screenshot  body: ScreenshotRequest (JSON) → waits for the condition, saves a PNG, answers its path
//   POST /click       body: ClickRequest (JSON)      → clicks an element (in any frame, e.g. inside a webview)
//   POST /keys        body: KeysRequest (JSON)       → presses keys / types text in the workbench, like a user
//   POST /query       body: QueryRequest (JSON)      → waits for a match in any frame, answers every match's text
//   POST /select      body: SelectRequest (JSON)     → picks an option of a <select> (in any frame), like a user
//   POST /phase       (no body)                      → which run of the suite this is, and what the run before handed over
//   POST /reload      body: any JSON (the hand-over) → a test wants the window reloaded once this run of the suite is over;
//                                                      the reloaded window runs the suite's `afterReload` phase, which gets
//                                                      the hand-over from /phase
//   POST /run-done    body: { failures }             → the first run is over and its extension host reloads the window now
//                                                      (instead of exiting: the reload must find the extension running)
// The suite finds it through the CONVLENS_DRIVER_URL environment variable (see suite/driver.ts); the web suite,
// which has no environment, through a user setting (web/driver.ts), and calls it with fetch from the web worker
// extension host: a cross-origin request, answered with CORS headers for `allowOrigin` only.
// It does not know about VS Code: the runner passes in how to take a screenshot.
import * as http from 'http';
import type { AddressInfo } from 'net';

/** What a test asks for (suite/driver.ts, in the extension host, imports this type). */
export interface ScreenshotRequest {
  /** File name without extension, e.g. `hover-dark`. */
  readonly name: string;
  /** Wait until an element matching this selector is visible before shooting. */
  readonly waitForSelector?: string;
  /** Wait until some element matching `waitForSelector` (default: the whole page) contains this text. */
  readonly waitForText?: string;
  /** Longest wait for the condition, ms. */
  readonly timeoutMs?: number;
  /** Look for the selector and text in every frame (webviews live in nested iframes), not only the workbench page. */
  readonly inFrames?: boolean;
}

/** Click the first element matching `selector` (containing `text`, if given) in any frame. */
export interface ClickRequest {
  readonly selector: string;
  readonly text?: string;
  readonly timeoutMs?: number;
}

/** Keyboard input to the focused workbench element: each of `press` (e.g. `F1`, `Enter`) or `text` typed, in order. */
export interface KeysRequest {
  readonly steps: readonly ({ readonly press: string } | { readonly type: string })[];
}

/** Texts of the elements matching `selector` in every frame of the page (webviews and notebook outputs included). */
export interface QueryRequest {
  readonly selector: string;
  /** Wait until one matching element contains this text. */
  readonly waitForText?: string;
  readonly timeoutMs?: number;
}

/** Pick the option whose value is `value` in the first <select> matching `selector`, in any frame. */
export interface SelectRequest {
  readonly selector: string;
  readonly value: string;
  readonly timeoutMs?: number;
}

/** Which run of the suite is going on: the first (`main`), or the one after a window reload a test asked for. */
export interface PhaseAnswer {
  readonly phase: 'main' | 'afterReload';
  /** What the test that asked for the reload passed to /reload (JSON), in the `afterReload` phase. */
  readonly handover: unknown;
}

export interface DriverHandlers {
  log(text: string): void;
  screenshot(req: ScreenshotRequest): Promise<string>;
  query(req: QueryRequest): Promise<string[]>;
  click(req: ClickRequest): Promise<void>;
  keys(req: KeysRequest): Promise<void>;
  // Optional so that runners that need no reloads (the benchmark) leave them out: /select and /reload answer 404
  // then, and /phase says `main`.
  select?(req: SelectRequest): Promise<void>;
  phase?(): PhaseAnswer;
  /** A test asks for a window reload once this run is over; `handover` goes to the next run. */
  requestReload?(handover: unknown): void;
  /** The run that asked for a reload is over with `failures`; the window reloads next. */
  runDone?(failures: number): void;
}

export interface DriverServer {
  readonly url: string;
  close(): Promise<void>;
}

function isScreenshotRequest(v: unknown): v is ScreenshotRequest {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return (
    typeof r['name'] === 'string' &&
    /^[\w.-]+$/.test(r['name']) &&
    (r['waitForSelector'] === undefined || typeof r['waitForSelector'] === 'string') &&
    (r['waitForText'] === undefined || typeof r['waitForText'] === 'string') &&
    (r['timeoutMs'] === undefined || typeof r['timeoutMs'] === 'number') &&
    (r['inFrames'] === undefined || typeof r['inFrames'] === 'boolean')
  );
}

function isClickRequest(v: unknown): v is ClickRequest {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return (
    typeof r['selector'] === 'string' &&
    (r['text'] === undefined || typeof r['text'] === 'string') &&
    (r['timeoutMs'] === undefined || typeof r['timeoutMs'] === 'number')
  );
}

function isKeysRequest(v: unknown): v is KeysRequest {
  if (typeof v !== 'object' || v === null) return false;
  const steps = (v as Record<string, unknown>)['steps'];
  return (
    Array.isArray(steps) &&
    steps.every(
      (s) =>
        typeof s === 'object' &&
        s !== null &&
        (typeof (s as Record<string, unknown>)['press'] === 'string' || typeof (s as Record<string, unknown>)['type'] === 'string'),
    )
  );
}

function isQueryRequest(v: unknown): v is QueryRequest {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return (
    typeof r['selector'] === 'string' &&
    (r['waitForText'] === undefined || typeof r['waitForText'] === 'string') &&
    (r['timeoutMs'] === undefined || typeof r['timeoutMs'] === 'number')
  );
}

function isSelectRequest(v: unknown): v is SelectRequest {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return (
    typeof r['selector'] === 'string' &&
    typeof r['value'] === 'string' &&
    (r['timeoutMs'] === undefined || typeof r['timeoutMs'] === 'number')
  );
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export interface DriverServerOptions {
  /**
   * The one origin (the workbench's) whose pages and workers may call the endpoint with fetch; asked per request,
   * since the endpoint starts before the server whose origin it is.
   */
  readonly allowOrigin?: () => string | undefined;
}

export async function startDriverServer(handlers: DriverHandlers, options: DriverServerOptions = {}): Promise<DriverServer> {
  const server = http.createServer((req, res) => {
    const allowed = options.allowOrigin?.();
    if (allowed && req.headers.origin === allowed) res.setHeader('access-control-allow-origin', allowed);
    void (async () => {
      const body = await readBody(req);
      if (req.method === 'POST' && req.url === '/log') {
        handlers.log(body);
        res.writeHead(204).end();
        return;
      }
      if (req.method === 'POST' && req.url === '/screenshot') {
        let parsed: unknown;
        try {
          parsed = JSON.parse(body);
        } catch {
          parsed = undefined;
        }
        if (!isScreenshotRequest(parsed)) {
          res.writeHead(400, { 'content-type': 'text/plain' }).end('bad screenshot request');
          return;
        }
        const file = await handlers.screenshot(parsed);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ path: file }));
        return;
      }
      if (req.method === 'POST' && (req.url === '/click' || req.url === '/keys')) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(body);
        } catch {
          parsed = undefined;
        }
        if (req.url === '/click' && isClickRequest(parsed)) await handlers.click(parsed);
        else if (req.url === '/keys' && isKeysRequest(parsed)) await handlers.keys(parsed);
        else {
          res.writeHead(400, { 'content-type': 'text/plain' }).end(`bad ${req.url} request`);
          return;
        }
        res.writeHead(204).end();
        return;
      }
      if (req.method === 'POST' && req.url === '/phase') {
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify(handlers.phase?.() ?? { phase: 'main', handover: null }));
        return;
      }
      if (req.method === 'POST' && ((req.url === '/select' && !handlers.select) || (req.url === '/reload' && !handlers.requestReload))) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end(`this runner has no ${req.url}`);
        return;
      }
      if (req.method === 'POST' && req.url === '/select') {
        let parsed: unknown;
        try {
          parsed = JSON.parse(body);
        } catch {
          parsed = undefined;
        }
        if (!isSelectRequest(parsed)) {
          res.writeHead(400, { 'content-type': 'text/plain' }).end('bad /select request');
          return;
        }
        await handlers.select!(parsed);
        res.writeHead(204).end();
        return;
      }
      if (req.method === 'POST' && req.url === '/reload') {
        let parsed: unknown;
        try {
          parsed = JSON.parse(body);
        } catch {
          res.writeHead(400, { 'content-type': 'text/plain' }).end('bad /reload request: the hand-over must be JSON');
          return;
        }
        handlers.requestReload!(parsed);
        res.writeHead(204).end();
        return;
      }
      if (req.method === 'POST' && req.url === '/run-done' && handlers.runDone) {
        let failures: unknown;
        try {
          failures = (JSON.parse(body) as { failures?: unknown }).failures;
        } catch {
          failures = undefined;
        }
        if (typeof failures !== 'number') {
          res.writeHead(400, { 'content-type': 'text/plain' }).end('bad /run-done request');
          return;
        }
        handlers.runDone(failures);
        res.writeHead(204).end();
        return;
      }
      if (req.method === 'POST' && req.url === '/query') {
        let parsed: unknown;
        try {
          parsed = JSON.parse(body);
        } catch {
          parsed = undefined;
        }
        if (!isQueryRequest(parsed)) {
          res.writeHead(400, { 'content-type': 'text/plain' }).end('bad /query request');
          return;
        }
        // Query first: a failed query must answer 500 with its message, not a 200 whose body is the error text.
        const texts = await handlers.query(parsed);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ texts }));
        return;
      }
      res.writeHead(404).end();
    })().catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(err instanceof Error ? err.message : err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
