// One Prometheus registry per process (never prom-client's global one), so tests that start
// several systems in one process keep their numbers apart.
import { Registry, collectDefaultMetrics } from 'prom-client';

export type { Registry };

/** A registry with the Node.js process metrics (CPU, memory, event loop lag, GC). */
export function createRegistry(labels: Record<string, string> = {}): Registry {
  const registry = new Registry();
  registry.setDefaultLabels(labels);
  collectDefaultMetrics({ register: registry });
  return registry;
}

const registered = new WeakMap<Registry, Map<string, unknown>>();

/**
 * Registers a set of metrics on `registry` once and returns the same set after that: a process
 * may start several workers or API servers on one registry (tests do), and prom-client refuses a
 * second metric of the same name.
 */
export function registerOnce<T>(registry: Registry, key: string, register: () => T): T {
  let sets = registered.get(registry);
  if (!sets) registered.set(registry, (sets = new Map()));
  if (!sets.has(key)) sets.set(key, register());
  return sets.get(key) as T;
}
