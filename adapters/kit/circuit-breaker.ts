/**
 * Stops calling a department that keeps failing: after `failureThreshold` consecutive failures the
 * circuit opens for `resetMs`, then lets one trial call through (half-open); success closes it.
 */
export class CircuitBreaker {
  readonly #failureThreshold: number;
  readonly #resetMs: number;
  readonly #now: () => number;
  #failures = 0;
  #openedAt: number | null = null;
  #trialInFlight = false;

  constructor(options: { failureThreshold: number; resetMs: number; now?: () => number }) {
    this.#failureThreshold = options.failureThreshold;
    this.#resetMs = options.resetMs;
    this.#now = options.now ?? Date.now;
  }

  get state(): 'closed' | 'open' | 'half_open' {
    if (this.#openedAt === null) return 'closed';
    return this.#now() - this.#openedAt >= this.#resetMs ? 'half_open' : 'open';
  }

  /** True when a call may go out now. */
  allow(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open' || this.#trialInFlight) return false;
    this.#trialInFlight = true;
    return true;
  }

  success(): void {
    this.#failures = 0;
    this.#openedAt = null;
    this.#trialInFlight = false;
  }

  failure(): void {
    this.#trialInFlight = false;
    this.#failures++;
    if (this.#openedAt !== null || this.#failures >= this.#failureThreshold) this.#openedAt = this.#now();
  }
}
