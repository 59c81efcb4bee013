/**
 * The navigation of a narrow screen (phone, small tablet): one menu button in the top bar opens a
 * drawer with the workspace's areas (when a workspace is open), the main links and the account. It
 * closes on Escape (focus back on the button), on a click outside, on navigation and when the window
 * grows past the breakpoint. Wide screens never see it: the top bar and the sidebar show everything.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useLocation } from 'react-router';

/** Below this width the sidebar and the top links fold into the menu (styles.css uses the same). */
export const NARROW_QUERY = '(max-width: 820px)';

export interface MenuLink {
  to: string;
  label: string;
  icon?: string;
  /** `end` of NavLink: active only on exactly this path. */
  end?: boolean;
  testId: string;
}

export interface MenuSection {
  title: string;
  links: MenuLink[];
}

interface MenuValue {
  open: boolean;
  setOpen: (open: boolean) => void;
  /** The open workspace's areas, shown first in the drawer. */
  section: MenuSection | undefined;
  setSection: (section: MenuSection | undefined) => void;
}

const MenuContext = createContext<MenuValue | null>(null);

export function useMatchMedia(query: string): boolean {
  const [matches, setMatches] = useState(() => window.matchMedia(query).matches);
  useEffect(() => {
    const list = window.matchMedia(query);
    const update = () => setMatches(list.matches);
    update();
    list.addEventListener('change', update);
    return () => list.removeEventListener('change', update);
  }, [query]);
  return matches;
}

export function MenuProvider({ children }: { children: ReactNode }) {
  const [open, setOpenState] = useState(false);
  const [section, setSection] = useState<MenuSection>();
  const narrow = useMatchMedia(NARROW_QUERY);
  const location = useLocation();
  const setOpen = useCallback((o: boolean) => setOpenState(o), []);
  // Navigating (a link in the drawer, back, a link on the page) closes it; so does growing wide.
  useEffect(() => setOpenState(false), [location.pathname, narrow]);
  const value = useMemo(() => ({ open: open && narrow, setOpen, section, setSection }), [open, narrow, setOpen, section]);
  return <MenuContext.Provider value={value}>{children}</MenuContext.Provider>;
}

export function useMenu(): MenuValue {
  const v = useContext(MenuContext);
  if (!v) throw new Error('useMenu outside MenuProvider');
  return v;
}

/** Puts a page's links (a workspace's areas) into the drawer while the page is shown. */
export function useMenuSection(section: MenuSection | undefined): void {
  const { setSection } = useMenu();
  // Keyed by content: a new array of the same links on each render is no change.
  const key = JSON.stringify(section ?? null);
  useEffect(() => {
    setSection((JSON.parse(key) as MenuSection | null) ?? undefined);
    return () => setSection(undefined);
  }, [key, setSection]);
}
