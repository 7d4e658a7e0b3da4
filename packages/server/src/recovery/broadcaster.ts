import { EventEmitter } from 'node:events';
import type { CommitInfo } from './engine.ts';

/**
 * Tells this instance's SSE streams about commits as they happen. Commits made by other
 * instances reach a stream through its periodic store read, so nothing depends on this alone.
 */
export class Broadcaster {
  readonly #emitter = new EventEmitter();

  constructor() {
    this.#emitter.setMaxListeners(0);
  }

  publish(info: CommitInfo): void {
    this.#emitter.emit(info.conferenceSid, info);
  }

  subscribe(conferenceSid: string, listener: (info: CommitInfo) => void): () => void {
    this.#emitter.on(conferenceSid, listener);
    return () => this.#emitter.off(conferenceSid, listener);
  }
}
