// The web suite's side of the runner's loopback endpoint (runner/driverServer.ts): reads the rendered DOM of
// webviews and notebook outputs, which an extension host cannot see. The web worker host has no environment, so
// the endpoint's address comes from the user setting the runner writes (DRIVER_URL_SETTING), and requests go
// through fetch (cross-origin; the endpoint answers the workbench's origin with CORS headers).
import * as vscode from 'vscode';
import type { QueryRequest } from '../runner/driverServer';
import { DRIVER_URL_SETTING } from './runnerContract';

function driverUrl(): string {
  const url = vscode.workspace.getConfiguration().get<string>(DRIVER_URL_SETTING);
  if (!url) throw new Error(`no driver endpoint (user setting ${DRIVER_URL_SETTING} unset)`);
  return url;
}

/**
 * The texts (whitespace normalised) of the elements matching `selector` anywhere in the workbench, webviews and
 * notebook outputs included, once one of them contains `waitForText`; exactly one match, or an error.
 */
export async function queryOne(selector: string, waitForText?: string): Promise<string> {
  const req: QueryRequest = { selector, ...(waitForText !== undefined ? { waitForText } : {}) };
  const res = await fetch(`${driverUrl()}/query`, { method: 'POST', body: JSON.stringify(req) });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`query ${selector} failed: ${text}`);
  const { texts } = JSON.parse(text) as { texts: string[] };
  if (texts.length !== 1)
    throw new Error(`${texts.length} elements match ${selector}, expected one: ${JSON.stringify(texts).slice(0, 400)}`);
  return texts[0]!;
}
