/**
 * The item open in an area (an indicator's detail, a technique's panel), kept in the address as
 * `?open=<id>`: a link or a reload opens the same item, Back closes it, and a live handoff can send
 * it to followers as part of the presenter's location (features/handoff/useLiveHandoff.ts).
 */
import { useCallback } from 'react';
import { useSearchParams } from 'react-router';

export const OPEN_PARAM = 'open';

export function useOpenItem(): [string | undefined, (id: string | undefined) => void] {
  const [params, setParams] = useSearchParams();
  const open = params.get(OPEN_PARAM) ?? undefined;
  const setOpen = useCallback(
    (id: string | undefined) =>
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          if (id) next.set(OPEN_PARAM, id);
          else next.delete(OPEN_PARAM);
          return next;
        },
        // Opening one row after another should not fill the history: one entry per area visit.
        { replace: true },
      ),
    [setParams],
  );
  return [open, setOpen];
}
