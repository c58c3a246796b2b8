/**
 * Fairness for `listen()` on Node: the requests read from the connections start one per turn of the
 * event loop (see {@link OnePerTurn}).
 */

/**
 * Starts the requests read from the connections one per turn of the event loop, in the order they were
 * read. libuv (since 1.45, so in Node 20) accepts at most one new connection per turn, so a server that
 * answers every request read in a turn before the next starves the connections still waiting to be
 * accepted: when eight clients connect at once, the last one's first request waited for about thirty
 * answers to the others (the slowest requests at the start of each load of the emulator figure of
 * `npm run bench`). One request per turn lets the accepts keep pace, and serves requests first come,
 * first served. The cost is a turn of the loop (an `epoll_wait` that does not block) per request.
 */
export class OnePerTurn {
  // A queue of linked entries rather than an array: an array living as long as the server would
  // re-allocate its store in the old generation as it is pushed and shifted (see `EqualityIndexes`).
  #first: Waiting | undefined;
  #last: Waiting | undefined;
  #scheduled = false;

  run(start: () => Promise<Response>): Promise<Response> {
    return new Promise<Response>((resolve) => {
      const waiting: Waiting = { start: () => resolve(start()), next: undefined };
      if (this.#last) this.#last.next = waiting;
      else this.#first = waiting;
      this.#last = waiting;
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(this.#next);
      }
    });
  }

  /** Starts every waiting request now. */
  flush(): void {
    for (let waiting = this.#take(); waiting; waiting = this.#take()) waiting.start();
  }

  #take(): Waiting | undefined {
    const first = this.#first;
    if (first) {
      this.#first = first.next;
      if (!this.#first) this.#last = undefined;
    }
    return first;
  }

  readonly #next = (): void => {
    const waiting = this.#take();
    if (this.#first) setImmediate(this.#next);
    else this.#scheduled = false;
    waiting?.start();
  };
}

/** A request waiting for its turn. */
interface Waiting {
  readonly start: () => void;
  next: Waiting | undefined;
}
