/**
 * Commands for the renderer wait here until its page listens: a file double-clicked to launch the app
 * arrives before the page has loaded, and a reload drops the listener until the page subscribes again.
 * Pure: main gives it the function that sends on 'app:command'.
 */
import type { AppCommandMessage } from './commands';

/** Commands kept while the page is not listening; older ones beyond this are dropped. */
export const OUTBOX_LIMIT = 32;

export class CommandOutbox {
  private queue: AppCommandMessage[] = [];
  private listening = false;

  constructor(private readonly deliver: (message: AppCommandMessage) => void) {}

  send(message: AppCommandMessage): void {
    if (this.listening) return this.deliver(message);
    this.queue.push(message);
    if (this.queue.length > OUTBOX_LIMIT) this.queue.shift();
  }

  /** The page subscribed (preload's first onCommand): deliver what waited, in order. */
  ready(): void {
    this.listening = true;
    const waiting = this.queue;
    this.queue = [];
    for (const message of waiting) this.deliver(message);
  }

  /** The page went away (navigation, reload, crash): hold commands until it listens again. */
  reset(): void {
    this.listening = false;
  }
}
