/** The tab title says where you are, for people with a dozen Huntroom tabs open on a long night. */
import { useEffect } from 'react';

export function useTitle(...parts: (string | undefined)[]): void {
  const title = [...parts.filter(Boolean), 'Huntroom'].join(' · ');
  useEffect(() => {
    document.title = title;
  }, [title]);
}
