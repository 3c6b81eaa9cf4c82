// Politeness and load limits: a counting semaphore for the global concurrency, and per-host gates
// that cap parallel requests to one host and space their starts by a delay.

/** At most `size` holders at once; the rest wait in arrival order. */
export class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly size: number) {}

  async acquire(): Promise<() => void> {
    if (this.active >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      // The slot passes straight to the next waiter, so `active` only drops when nobody waits.
      if (next) next();
      else this.active--;
    };
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** One host's gate: `perHost` requests at once, starts at least `delayMs` apart. */
class HostGate {
  private readonly slots: Semaphore;
  private nextStart = 0;
  delayMs: number;

  constructor(perHost: number, delayMs: number) {
    this.slots = new Semaphore(perHost);
    this.delayMs = delayMs;
  }

  async enter(): Promise<() => void> {
    const release = await this.slots.acquire();
    const now = Date.now();
    const start = Math.max(now, this.nextStart);
    this.nextStart = start + this.delayMs;
    if (start > now) await sleep(start - now);
    return release;
  }
}

/** Per-host gates, created on first use. */
export class HostLimits {
  private readonly gates = new Map<string, HostGate>();

  constructor(
    private readonly perHost: number,
    private readonly delayMs: number,
  ) {}

  private gate(host: string): HostGate {
    let gate = this.gates.get(host);
    if (!gate) {
      gate = new HostGate(this.perHost, this.delayMs);
      this.gates.set(host, gate);
    }
    return gate;
  }

  /** Wait for a turn at `host`; call the returned function when the request is done. */
  enter(host: string): Promise<() => void> {
    return this.gate(host).enter();
  }

  /** Raise a host's delay (robots.txt Crawl-delay); never lowers the one asked for on the command line. */
  slowDown(host: string, delayMs: number): void {
    const gate = this.gate(host);
    gate.delayMs = Math.max(gate.delayMs, delayMs);
  }
}
