/**
 * One piece of work per key at a time, shared by everyone who asks while it runs: a classroom's
 * runners all reach their first Docker step together, and six debootstraps of `python:3.13` into
 * one folder, or six seeders of one image store, would trip over each other. Progress messages go
 * to every caller that joined.
 */
export class InFlight<T, P = string> {
  private readonly running = new Map<string, { promise: Promise<T>; listeners: Set<(progress: P) => void> }>();

  run(key: string, onProgress: (progress: P) => void, work: (progress: (p: P) => void) => Promise<T>): Promise<T> {
    const existing = this.running.get(key);
    if (existing) {
      existing.listeners.add(onProgress);
      return existing.promise;
    }
    const listeners = new Set([onProgress]);
    const promise = work((progress) => {
      for (const listener of listeners) listener(progress);
    }).finally(() => this.running.delete(key));
    this.running.set(key, { promise, listeners });
    return promise;
  }
}
