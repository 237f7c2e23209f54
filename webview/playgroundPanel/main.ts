// Entry of the playground webview panel: reads the initial state from the escaped `<meta>` attribute
// (never from script text), prefers the webview's own saved state, and mounts the playground on a
// VsCodeHost. Nothing else happens here.
import { initialState, PlaygroundApp } from '../components/playgroundApp';
import { VsCodeHost } from '../vsCodeHost';
import { readMetaState } from '../metaState';

// Chunks webpack loads later (the ORT builds) must carry the page's nonce to pass the CSP.
declare let __webpack_nonce__: string;
// eslint-disable-next-line prefer-const -- webpack's free variable: assigning it is how its value is set
__webpack_nonce__ = document.currentScript instanceof HTMLScriptElement ? (document.currentScript.nonce ?? '') : '';

const host = new VsCodeHost();
const root = document.getElementById('app') ?? document.body;
const app = new PlaygroundApp(root, host, initialState(host.getState<unknown>(), readMetaState('convlens-playground-state')));
window.addEventListener('unload', () => app.dispose());
