/**
 * The bounded import queue: a few imports run at once, a few more wait, and beyond that a new
 * upload is refused before its body is read, so a burst of uploads cannot fill the disk or
 * the heap.
 */
import { LedgerflowError } from '../errors.js';

/** A place in the queue, taken before an upload is spooled and released after its import. */
export interface ImportTicket {
  /** Resolves when the ticket may run its import. */
  turn(): Promise<void>;
  /** Gives the place back (idempotent). */
  release(): void;
}

/** Counts running and waiting imports against two bounds. */
export class ImportSlots {
  readonly running: number;
  readonly waiting: number;
  #active = 0;
  #held = 0;
  readonly #queue: (() => void)[] = [];

  constructor(running: number, waiting: number) {
    this.running = running;
    this.waiting = waiting;
  }

  /** Tickets handed out and not yet released. */
  get held(): number {
    return this.#held;
  }

  /** Takes a ticket, or throws `LF_ERR_HTTP_TOO_MANY_REQUESTS` when the queue is full. */
  take(): ImportTicket {
    if (this.#held >= this.running + this.waiting) {
      throw new LedgerflowError('LF_ERR_HTTP_TOO_MANY_REQUESTS',
        `${this.#held} imports are running or waiting (at most ${this.running + this.waiting}); ` +
        'wait for one to finish (GET /logs shows their status) and upload again');
    }
    this.#held++;
    let started = false;
    let released = false;
    let queued: (() => void) | null = null;
    return {
      turn: () => new Promise<void>((resolve) => {
        const start = () => {
          started = true;
          this.#active++;
          resolve();
        };
        if (this.#active < this.running) start();
        else this.#queue.push(queued = start);
      }),
      release: () => {
        if (released) return;
        released = true;
        this.#held--;
        if (!started) {
          // A ticket released while waiting must not be started later by someone else.
          const at = queued === null ? -1 : this.#queue.indexOf(queued);
          if (at >= 0) this.#queue.splice(at, 1);
          return;
        }
        this.#active--;
        this.#queue.shift()?.();
      },
    };
  }
}
