import { createContext, useCallback, useContext, useEffect, useRef, useState } from 'react';
import type { Api } from './lib/api';
import type { Session } from './lib/auth';
import type { ConsoleConfig } from './lib/config';

/** What every page of a signed-in session needs. */
export interface ConsoleContextValue {
  readonly api: Api;
  readonly session: Session;
  readonly config: ConsoleConfig;
  /** Says something in the polite live region, for screen readers. */
  readonly announce: (message: string) => void;
}

export const ConsoleContext = createContext<ConsoleContextValue | null>(null);

/** The signed-in session's API and helpers. */
export function useConsole(): ConsoleContextValue {
  const value = useContext(ConsoleContext);
  if (!value) throw new Error('useConsole outside a signed-in session');
  return value;
}

/** A value loaded from the API: reloads when `deps` change, and on `reload()`. */
export interface Loaded<T> {
  readonly data?: T;
  readonly error?: unknown;
  readonly loading: boolean;
  reload(): void;
}

/** Loads `load()` now and whenever `deps` change; a late answer to an older load is dropped. */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  const generation = useRef(0);
  useEffect(() => {
    const mine = ++generation.current;
    setState((previous) => ({ ...previous, loading: true }));
    load().then(
      (data) => mine === generation.current && setState({ data, loading: false }),
      (error: unknown) => mine === generation.current && setState({ error, loading: false }),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((value) => value + 1), []);
  return { ...state, reload };
}

/** Runs `callback` every `ms` while the page is visible. */
export function useInterval(callback: () => void, ms: number | undefined): void {
  const saved = useRef(callback);
  saved.current = callback;
  useEffect(() => {
    if (ms === undefined) return undefined;
    const id = window.setInterval(() => {
      if (document.visibilityState !== 'hidden') saved.current();
    }, ms);
    return () => window.clearInterval(id);
  }, [ms]);
}
