// Entry of the profile view webview: reads the initial state from the escaped `<meta>` attribute (never
// from script text), prefers the webview's own saved state, and mounts the app on a VsCodeHost.
import { VsCodeHost } from '../vsCodeHost';
import { initialProfileState, ProfileApp } from './profileViewApp';
import { readMetaState } from '../metaState';

const host = new VsCodeHost();
const root = document.getElementById('app') ?? document.body;
const app = new ProfileApp(root, host, initialProfileState(host.getState<unknown>(), readMetaState('convlens-profile-state')));
window.addEventListener('unload', () => app.dispose());
