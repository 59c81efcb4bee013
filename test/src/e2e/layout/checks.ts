/**
 * What the layout suite asserts of one screen at one width: nothing wider than the viewport, no
 * console errors, no serious or critical axe-core violation; and, when UPDATE_SCREENSHOTS=1, a
 * screenshot in docs/screenshots/<screen>-<width>.png (only then, so a CI run leaves the tree clean).
 */
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

export const WIDTHS = [
  { width: 390, height: 844 },
  { width: 1440, height: 900 },
  { width: 2560, height: 1440 },
] as const;

const SHOTS = fileURLToPath(new URL('../../../../docs/screenshots/', import.meta.url));
export const UPDATE_SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Console errors and uncaught exceptions of a page since the last `take`. */
export function watchConsole(page: Page): { take(): string[] } {
  let seen: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') seen.push(`console: ${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => seen.push(`page error: ${e.message}`));
  return {
    take() {
      const out = seen;
      seen = [];
      return out;
    },
  };
}

/** The document's width past the viewport, with the elements that stick out most (to fix them). */
export async function overflow(page: Page): Promise<{ scrollWidth: number; innerWidth: number; culprits: string[] }> {
  return page.evaluate(() => {
    const scrollWidth = document.scrollingElement!.scrollWidth;
    const innerWidth = window.innerWidth;
    const culprits: string[] = [];
    if (scrollWidth > innerWidth) {
      for (const el of Array.from(document.querySelectorAll('body *'))) {
        const r = el.getBoundingClientRect();
        if (r.right > innerWidth + 1 && r.width > 0) {
          const id = el.getAttribute('data-testid') ?? (typeof el.className === 'string' ? el.className : '');
          culprits.push(`${el.tagName.toLowerCase()}.${id} right=${Math.round(r.right)}`);
        }
      }
    }
    return { scrollWidth, innerWidth, culprits: culprits.slice(0, 8) };
  });
}

/**
 * Two controls inside Excalidraw (0.18) that the app cannot reach: the main menu's trigger is an icon
 * button with no name, and the zoom reset button is named "Reset zoom" while it shows "100%". Both are
 * drawn by the library's own React tree with no prop to name them; everything else on the whiteboard,
 * Excalidraw's other controls included, is checked.
 */
const UPSTREAM_EXCLUDED = [['.excalidraw .main-menu-trigger'], ['.excalidraw .reset-zoom-button']];

/** Serious and critical axe-core violations on the page, one line each (rule, impact, first targets). */
export async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated as an expression through the DevTools protocol: the app's CSP (no eval) does not apply.
  if (!(await page.evaluate('typeof window.axe === "object"'))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async (exclude) => {
    const axe = (
      window as unknown as { axe: { run(ctx: object, o: object): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }
    ).axe;
    const result = await axe.run({ include: [['html']], exclude }, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  }, UPSTREAM_EXCLUDED);
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id} (${v.help}): ${v.targets.join(' | ')}`);
}

export async function screenshot(page: Page, name: string, width: number): Promise<void> {
  if (!UPDATE_SCREENSHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}${name}-${width}.png` });
}

/**
 * Tabs through the first `steps` stops of the page and lists those that show no focus indicator (no
 * outline and no box-shadow while focused), each as tag.class or its test id.
 */
export async function focusWithoutRing(page: Page, steps = 30): Promise<string[]> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  const missing = new Set<string>();
  for (let i = 0; i < steps; i++) {
    await page.keyboard.press('Tab');
    const seen = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      const s = getComputedStyle(el);
      const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
      const frame = el.closest('.editor-shell');
      const framed = frame ? getComputedStyle(frame).boxShadow !== 'none' : false;
      const name = el.getAttribute('data-testid') ?? `${el.tagName.toLowerCase()}.${typeof el.className === 'string' ? el.className.split(' ')[0] : ''}`;
      return { name, shown: ring || framed };
    });
    if (seen && !seen.shown) missing.add(seen.name);
  }
  return [...missing];
}
