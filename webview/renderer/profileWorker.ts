// The notebook renderer's profile reader, in a Web Worker (dist/renderer/profileWorker.js, a classic script the
// renderer starts from a blob: URL, see profileReader.ts): parses, validates and costs one output's text per
// message, so the largest payload the renderer accepts (seconds of work) never holds the notebook's main thread.
import { readProfileText, type ProfileReadResult } from '../components/profile/readProfile';
import type { ReaderReply, ReaderRequest } from './profileReader';

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<ReaderRequest>) => void) | null;
  postMessage(m: ReaderReply): void;
};

scope.onmessage = (e) => {
  const { id, text } = e.data;
  let result: ProfileReadResult;
  try {
    result = readProfileText(text);
  } catch (err) {
    result = { ok: false, error: `output: ${err instanceof Error ? err.message : String(err)}` };
  }
  scope.postMessage({ type: 'read', id, result });
};
scope.postMessage({ type: 'ready' });
