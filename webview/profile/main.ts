// Entry of the profile view webview: reads the initial state from the escaped `<meta>` attribute (never
// from script text), prefers the webview's own saved state, and mounts the app on a VsCodeHost.
import { VsCodeHost } from '../panel/vsCodeHost';
import { initialProfileState, ProfileApp } from './profileApp';

function readMetaState(): unknown {
  const raw = document.getElementById('convlens-profile-state')?.getAttribute('data-state');
  if (!raw) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

const host = new VsCodeHost();
const root = document.getElementById('app') ?? document.body;
const app = new ProfileApp(root, host, initialProfileState(host.getState<unknown>(), readMetaState()));
window.addEventListener('unload', () => app.dispose());
