/**
 * Whiteboard defects of issue 19 (item 5) in real Chromium: three "Add"s in a row land side by side,
 * not on top of each other; another team's cursor is drawn in that team's colour through the dark
 * theme's filter; PNG and SVG exports carry the board's TLP 2.0 label (FIRST's colours) at the top and
 * the bottom, on the board's dark background rather than white.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { TLP_COLORS, type TlpLevel } from '@huntroom/shared';
import { browserSuite, loginInBrowser } from '../helpers/browser.js';
import { loginAs } from '../helpers/http.js';
import { connect as connectDoc, synced } from '../helpers/yjs.js';

type Rgb = [number, number, number];
const rgb = (hex: string): Rgb => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as Rgb;
const distance = (a: Rgb, b: Rgb) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

/** Pixels of a PNG, decoded by the page's own image decoder. */
async function pixels(page: Page, png: Buffer): Promise<{ width: number; height: number; at: (x: number, y: number) => Rgb; all: Rgb[] }> {
  const { width, height, data } = await page.evaluate(async (b64) => {
    // No fetch of a data: URL: the app's CSP allows no such connection.
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(bitmap, 0, 0);
    return { width: bitmap.width, height: bitmap.height, data: [...ctx.getImageData(0, 0, bitmap.width, bitmap.height).data] };
  }, png.toString('base64'));
  const at = (x: number, y: number): Rgb => {
    const i = (y * width + x) * 4;
    return [data[i]!, data[i + 1]!, data[i + 2]!];
  };
  const all: Rgb[] = [];
  for (let i = 0; i < data.length; i += 4) all.push([data[i]!, data[i + 1]!, data[i + 2]!]);
  return { width, height, at, all };
}

describe('whiteboard: placement, cursor colours and marked exports', () => {
  const suite = browserSuite();

  async function openBoard(username: string, path?: string) {
    const made = await suite.newPage();
    await loginInBrowser(made.page, username);
    if (path) await made.page.goto(path);
    return made.page;
  }
  async function waitLive(p: Page) {
    await p.locator('.excalidraw').first().waitFor();
    await expect.poll(() => p.getByTestId('doc-status').getAttribute('data-state'), { timeout: 15_000 }).toBe('synced');
  }

  it('places added items apart, draws the other team in its colour, and marks PNG and SVG exports', async () => {
    const ws = suite.server.demo!.workspaceId;
    const alice = await openBoard('alice', `/w/${ws}/whiteboard`);
    await alice.getByTestId('wb-title').fill('Placement and marks');
    await alice.getByTestId('wb-create').click();
    await waitLive(alice);
    const boardPath = new URL(alice.url()).pathname;
    const boardId = boardPath.split('/').pop()!;

    // Three Adds without moving: three shapes side by side, none over another.
    for (const t of ['T1059.001', 'T1003.001', 'T1021.001']) {
      await alice.getByTestId('wb-picker-search').fill(t);
      await alice.getByTestId(`wb-item-${t}`).getByRole('button', { name: /Add/ }).click();
      await expect.poll(() => alice.getByTestId('wb-summary').textContent(), { timeout: 10_000 }).toContain(t);
    }
    const api = await loginAs(suite.server.url, 'alice');
    const reader = connectDoc(suite.server, boardId, api);
    await synced(reader);
    const boxes = () =>
      [...(reader.doc.getMap(ELEMENTS).values() as IterableIterator<{ type: string; isDeleted: boolean; x: number; y: number; width: number; height: number }>)].filter(
        (e) => e.type === 'rectangle' && !e.isDeleted,
      );
    await expect.poll(() => boxes().length, { timeout: 10_000 }).toBe(3);
    const rects = boxes();
    for (const [i, a] of rects.entries())
      for (const b of rects.slice(i + 1)) {
        const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
        expect(apart, `${JSON.stringify(a)} overlaps ${JSON.stringify(b)}`).toBe(true);
      }
    reader.destroy();

    // Ben (CA, red) points at an empty part of the canvas; Alice sees his cursor in CA's red.
    const ben = await openBoard('ben', boardPath);
    await waitLive(ben);
    const canvas = (await ben.getByTestId('wb-canvas').boundingBox())!;
    const spot = { x: 120, y: canvas.height - 120 };
    for (let i = 0; i < 6; i++) await ben.mouse.move(canvas.x + spot.x + i, canvas.y + spot.y, { steps: 2 });
    const caRed = rgb('#e5484d');
    // The most common colour of Ben's name tag as Alice's screen shows it: his team's red, unfiltered.
    const tag = alice.getByTestId('wb-cursor').locator('.wb-cursor-name');
    await expect.poll(() => tag.textContent(), { timeout: 15_000 }).toBe('Ben Tremblay (CA)');
    const counts = new Map<string, number>();
    for (const p of (await pixels(alice, await tag.screenshot())).all) counts.set(p.join(','), (counts.get(p.join(',')) ?? 0) + 1);
    const mode = [...counts.entries()]
      .sort((a, b) => b[1] - a[1])[0]![0]
      .split(',')
      .map(Number) as Rgb;
    expect(distance(mode, caRed), `tag drawn as ${mode.join(',')}`).toBeLessThan(12);
    // At the point Ben is at: same view on both screens, so the same place on the canvas.
    const own = (await alice.getByTestId('wb-canvas').boundingBox())!;
    await expect.poll(async () => Math.abs((await alice.getByTestId('wb-cursor').boundingBox())!.x - own.x - spot.x - 5)).toBeLessThan(12);
    const at = (await alice.getByTestId('wb-cursor').boundingBox())!;
    expect(Math.abs(at.y - own.y - spot.y)).toBeLessThan(12);

    // The exports carry the board's TLP label, top and bottom, on the board's dark background.
    const tlp = (await api.get(`/api/workspaces/${ws}/whiteboards/${boardId}`)).body.marking.tlp as TlpLevel;
    const { fg, bg } = TLP_COLORS[tlp];
    const [png] = await Promise.all([alice.waitForEvent('download'), alice.getByTestId('wb-export-png').click()]);
    const img = await pixels(alice, await readFile(await png.path()));
    const dark = (p: Rgb) => Math.max(...p) < 40;
    expect(dark(img.at(img.width - 2, 2)), 'top band background').toBe(true);
    expect(dark(img.at(img.width - 2, img.height - 2)), 'bottom band background').toBe(true);
    const bandPixels = (top: number) => img.all.filter((_, i) => Math.floor(i / img.width) >= top && Math.floor(i / img.width) < top + 40 && i % img.width < 140);
    for (const top of [0, img.height - 40]) {
      const band = bandPixels(top);
      expect(
        band.some((p) => distance(p, rgb(fg)) < 30),
        `TLP:${tlp} text in ${fg}`,
      ).toBe(true);
      expect(
        band.some((p) => distance(p, rgb(bg)) < 8),
        `label background ${bg}`,
      ).toBe(true);
    }

    const [svg] = await Promise.all([alice.waitForEvent('download'), alice.getByTestId('wb-export-svg').click()]);
    const svgText = await readFile(await svg.path(), 'utf8');
    const labels = [...svgText.matchAll(/<text[^>]*fill="([^"]+)"[^>]*>([^<]+)<\/text>/g)].filter((m) => m[2] === `TLP:${tlp}`);
    expect(labels.map((m) => m[1])).toEqual([fg, fg]);
    // The first shape is the background of the whole image: the dark board's, not white.
    expect(/<rect[^>]*fill="([^"]+)"/.exec(svgText)?.[1]).toBe('#121212');
    expect(svgText).toContain('T1059.001');
  }, 120_000);
});

const ELEMENTS = 'elements';
