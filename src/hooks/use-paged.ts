import { useCallback, useEffect, useRef, useState } from 'react';
import { appendPage, type Paged } from '../services/paging';

export interface PagedList<T> {
  items: readonly T[];
  loading: boolean;
  done: boolean;
  failed: boolean;
  more: () => void;
}

/** A cursor-paginated list that reloads when `key` changes; `more` is safe to call repeatedly. */
export function usePaged<T extends { id: string }>(
  key: string | null,
  load: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>,
): PagedList<T> {
  const [state, setState] = useState<Paged<T>>({ items: [], nextCursor: null, started: false });
  const [loading, setLoading] = useState(false);
  const [failed, setFailed] = useState(false);
  const generation = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  const fetchPage = useCallback((cursor: string | undefined, reset: boolean) => {
    const mine = reset ? ++generation.current : generation.current;
    setLoading(true);
    setFailed(false);
    loadRef
      .current(cursor)
      .then((page) => {
        if (mine !== generation.current) return;
        setState((prev) => appendPage(reset ? { items: [], nextCursor: null, started: false } : prev, page));
      })
      .catch(() => {
        if (mine === generation.current) setFailed(true);
      })
      .finally(() => {
        if (mine === generation.current) setLoading(false);
      });
  }, []);

  useEffect(() => {
    if (key === null) return;
    setState({ items: [], nextCursor: null, started: false });
    fetchPage(undefined, true);
  }, [key, fetchPage]);

  const done = state.started && state.nextCursor === null;
  const more = useCallback(() => {
    if (loading || done) return;
    if (!state.started) fetchPage(undefined, true);
    else if (state.nextCursor) fetchPage(state.nextCursor, false);
  }, [loading, done, state.started, state.nextCursor, fetchPage]);

  return { items: state.items, loading, done, failed, more };
}
