/**
 * Keyboard handling for a modal dialog: it takes the focus when it opens (its first field, else its
 * first control), keeps Tab inside it, closes on Escape, and gives the focus back to what had it
 * before. Returns the ref for the dialog box and the keydown handler for its frame.
 */
import { useEffect, useRef } from 'react';

const FOCUSABLE = 'button:not([disabled]), [href], input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * What to give the focus back to when a dialog or panel closes: the element that had it, or, when a
 * redraw replaced that element meanwhile (the live board redraws its rows after a resync, which a bad
 * link makes common), the element now in its place: the same test id inside a container of the same
 * test id (a record's row and its controls are named so, and the names outlive a redraw).
 */
function focusBack(el: HTMLElement | null): () => HTMLElement | null {
  const own = el?.dataset.testid;
  const container = el?.parentElement?.closest<HTMLElement>('[data-testid]')?.dataset.testid;
  const selector = own && container ? `[data-testid="${CSS.escape(container)}"] [data-testid="${CSS.escape(own)}"]` : undefined;
  return () => (el?.isConnected ? el : selector ? document.querySelector<HTMLElement>(selector) : null);
}

export function useModalKeys(onClose: () => void) {
  const box = useRef<HTMLDivElement>(null);
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    const before = focusBack(document.activeElement as HTMLElement | null);
    const first = box.current?.querySelector<HTMLElement>('textarea, input, select') ?? box.current?.querySelector<HTMLElement>(FOCUSABLE);
    first?.focus();
    return () => before()?.focus();
  }, []);

  function onKeyDown(e: React.KeyboardEvent) {
    if (e.key === 'Escape') {
      e.stopPropagation();
      close.current();
      return;
    }
    if (e.key !== 'Tab' || !box.current) return;
    const all = [...box.current.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.offsetParent !== null || el === document.activeElement);
    if (!all.length) return;
    const [first, last] = [all[0]!, all[all.length - 1]!];
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  }

  return { box, onKeyDown };
}

/**
 * Keyboard handling for a side panel (a record's detail beside its list): Escape closes it from
 * anywhere inside, and when it closes the focus goes back to what opened it (the row), not to the
 * page's top. Returns the keydown handler for the panel.
 */
export function useSidePanelKeys(onClose: () => void) {
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    const opener = focusBack(document.activeElement as HTMLElement | null);
    return () => {
      // Only when the focus was lost with the panel; a click elsewhere keeps its own focus.
      const lost = !document.activeElement || document.activeElement === document.body;
      if (lost) opener()?.focus();
    };
  }, []);
  return (e: React.KeyboardEvent) => {
    if (e.key !== 'Escape' || e.defaultPrevented) return;
    e.preventDefault();
    close.current();
  };
}
