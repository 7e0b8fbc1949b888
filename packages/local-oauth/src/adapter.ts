import type { Adapter, AdapterFactory, AdapterPayload } from 'oidc-provider';

interface Entry {
  payload: AdapterPayload;
  expiresAt: number;
}

/**
 * A per-server in-memory store for oidc-provider. JWT access tokens carry all
 * their state, so nothing here needs to outlive the process; owning the store
 * also keeps two servers in one process from sharing oidc-provider's global one.
 */
export function createMemoryAdapterFactory(): AdapterFactory {
  const entries = new Map<string, Entry>();
  const live = (key: string): AdapterPayload | undefined => {
    const entry = entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      entries.delete(key);
      return undefined;
    }
    return entry.payload;
  };

  return (model: string): Adapter => {
    const key = (id: string) => `${model}:${id}`;
    return {
      async upsert(id, payload, expiresIn) {
        entries.set(key(id), { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : Infinity });
      },
      async find(id) {
        return live(key(id));
      },
      async findByUid(uid) {
        for (const [k] of entries) {
          const payload = k.startsWith(`${model}:`) ? live(k) : undefined;
          if (payload?.uid === uid) return payload;
        }
        return undefined;
      },
      async findByUserCode(userCode) {
        for (const [k] of entries) {
          const payload = k.startsWith(`${model}:`) ? live(k) : undefined;
          if (payload?.userCode === userCode) return payload;
        }
        return undefined;
      },
      async consume(id) {
        const payload = live(key(id));
        if (payload) payload.consumed = Math.floor(Date.now() / 1000);
      },
      async destroy(id) {
        entries.delete(key(id));
      },
      async revokeByGrantId(grantId) {
        for (const [k, entry] of entries) if (entry.payload.grantId === grantId) entries.delete(k);
      },
    };
  };
}
