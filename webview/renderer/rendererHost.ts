// The Host for one notebook output: messages go through the renderer context's postMessage (when
// the contribution's optional messaging is there) wrapped with the output's id, and only messages for
// that id come back; state is this output's slot in the renderer's shared state. Inbound messages are
// passed on unvalidated; components validate them with extension/protocol.
import type { RendererContext } from 'vscode-notebook-renderer';
import type { Host } from '../host';
import { isRecord } from '../../extension/protocol/check';

/** The renderer's persisted state: one slot per output id. */
export type RendererState = Record<string, unknown>;

/** Outputs whose state is kept; the oldest slots are dropped beyond this. */
const MAX_STATE_SLOTS = 200;

/**
 * `playground`: the component speaks the playground protocol (FromWebview/ToWebview), carried inside
 * `{ type: 'playground', outputId, message }`. `profile`: the component speaks FromRenderer/ToRenderer
 * itself and the host only adds `outputId`.
 */
export type Channel = 'playground' | 'profile';

export class RendererHost implements Host {
  constructor(
    private readonly ctx: RendererContext<RendererState>,
    private readonly outputId: string,
    private readonly channel: Channel,
  ) {}

  /** True when the extension host can hear this output. */
  get canPost(): boolean {
    return typeof this.ctx.postMessage === 'function';
  }

  post(message: unknown): void {
    if (!this.ctx.postMessage) return;
    if (this.channel === 'playground') this.ctx.postMessage({ type: 'playground', outputId: this.outputId, message });
    else if (isRecord(message)) this.ctx.postMessage({ ...message, outputId: this.outputId });
  }

  onMessage(listener: (message: unknown) => void): () => void {
    const event = this.ctx.onDidReceiveMessage;
    if (!event) return () => undefined;
    const sub = event((m: unknown) => {
      if (!isRecord(m) || m['outputId'] !== this.outputId) return;
      if (this.channel === 'profile') listener(m);
      else if (m['type'] === 'playground') listener(m['message']);
    });
    return () => sub.dispose();
  }

  getState<T>(): T | undefined {
    const all = this.ctx.getState();
    // The stored value is whatever setState stored; callers validate it before use.
    return isRecord(all) ? (all[this.outputId] as T | undefined) : undefined;
  }

  setState<T>(state: T): void {
    const all = this.ctx.getState();
    const slots = Object.entries(isRecord(all) ? all : {}).filter(([id]) => id !== this.outputId);
    this.ctx.setState(Object.fromEntries([...slots.slice(-(MAX_STATE_SLOTS - 1)), [this.outputId, state]]));
  }
}
