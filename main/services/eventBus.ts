// Typed pushes out of main. Electron forwards them to the window, the browser-mode host to its sockets, the CLI to
// stderr. `on` returns the function that unsubscribes.
import type { EventName, EventPayload } from '../../common/contracts';

type AnyListener = (name: EventName, payload: unknown) => void;

export class EventBus {
  private readonly listeners = new Set<AnyListener>();

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(name, payload);
      } catch (err) {
        console.error(`Tunebench: a listener for ${name} failed:`, err);
      }
    }
  }

  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void {
    return this.onAny((n, payload) => {
      if (n === name) listener(payload as EventPayload<E>);
    });
  }

  onAny(listener: AnyListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
