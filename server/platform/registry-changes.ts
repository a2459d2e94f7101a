import type { Db } from '#server/db/client.ts';

/**
 * Listeners to changes of the enterprise registry, for modules above it whose stored records
 * depend on an enterprise's town, chains or 规上 spells (monitoring's warnings). The registry
 * (enterprises) cannot import them; they listen here, registered in `app.ts` like the metric
 * sources. Listeners run inside the registry write's transaction, so the records they keep
 * change with the registry or not at all.
 */

/** One enterprise written, with the fields that changed (keys of FIELD_LABELS, plus `scale`). */
export type EnterpriseChange = { enterpriseId: string; created: boolean; fields: readonly string[] };

export type RegistryListener = (trx: Db, changes: readonly EnterpriseChange[], now: string) => Promise<void>;

export type RegistryChanges = {
  /** Adds a listener under a key; the same key again replaces it (buildApp may run twice on one deps). */
  listen: (key: string, listener: RegistryListener) => void;
  notify: (trx: Db, changes: readonly EnterpriseChange[], now: string) => Promise<void>;
};

export function createRegistryChanges(): RegistryChanges {
  const listeners = new Map<string, RegistryListener>();
  return {
    listen: (key, listener) => void listeners.set(key, listener),
    notify: async (trx, changes, now) => {
      if (changes.length === 0) return;
      for (const listener of listeners.values()) await listener(trx, changes, now);
    },
  };
}
