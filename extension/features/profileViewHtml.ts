// The profile view's HTML document: strict CSP (`default-src 'none'`, one nonce'd script, our own
// stylesheet), and the initial state as escaped JSON in a `<meta>` attribute, never as script text.
// Pure string building with no vscode import (the unit tests check it).
import type { ProfileViewState } from '../protocol/profileMessages';
import { renderWebviewDocument } from './convPanelHtml';

export interface ProfileHtmlOptions {
  readonly cspSource: string;
  readonly nonce: string;
  /** URL of dist/webview/profile.js. */
  readonly scriptUri: string;
  /** URL of media/profile.css. */
  readonly styleUri: string;
  readonly state: ProfileViewState;
}

export function profileCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

export function renderProfileHtml(o: ProfileHtmlOptions): string {
  return renderWebviewDocument({
    csp: profileCsp(o.cspSource, o.nonce),
    nonce: o.nonce,
    scriptUri: o.scriptUri,
    styleUri: o.styleUri,
    stateId: 'convlens-profile-state',
    state: o.state,
    title: 'Profile',
  });
}
