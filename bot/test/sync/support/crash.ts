/**
 * A crash switch shared by the in-memory ports: every port call is one step; at step `at` the
 * process "dies" (optionally after the write landed, like a reply lost on the wire) and every
 * later call fails too, as if the process were gone.
 */
export class Crash extends Error {
  override readonly name = 'Crash';
}

export class Crashpoint {
  steps = 0;
  dead = false;
  constructor(private readonly at = Infinity, private readonly landFirst = false) {}

  run<T>(write: () => T): T {
    if (this.dead) throw new Crash('process is down');
    this.steps++;
    if (this.steps === this.at) {
      this.dead = true;
      if (this.landFirst) write();
      throw new Crash(`crashed at step ${this.steps}`);
    }
    return write();
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
