/**
 * The check of the activation suites (integration/federation-docs-activation.test.ts and its cluster
 * version): updates stored around a share's activation all cross. The editor types one short edit per
 * turn of the test's event loop, from before the share is offered until well after it is active at the
 * home, so the home's tap sees the workspace shared with no one many times and then the activation
 * commits in the middle of the typing. Each update is either sent live or in the note's baseline, so
 * the replica must end with the whole text; an edit made once the note reached the replica can only go
 * live, so it must arrive too.
 */
import { expect } from 'vitest';
import type { Huntroom } from '@huntroom/server';
import { storedText } from './federationData.js';
import { eventually, type Client } from './yjs.js';

/** `activate` returns once the share is active at the home; `replica` is the instance the note crosses to. */
export async function typeAcrossActivation(editor: Client, replica: Huntroom, noteId: string, activate: () => Promise<void>): Promise<void> {
  let typing = true;
  let typed = 0;
  // Each edit its own update and, mostly, its own transaction at the home.
  const typist = (async () => {
    while (typing) {
      editor.text.insert(editor.text.length, `${typed++};`);
      await new Promise((r) => setTimeout(r, 2));
    }
  })();
  try {
    await eventually(() => expect(typed).toBeGreaterThan(20), 10_000);
    await activate();
    const atActivation = typed;
    await eventually(() => expect(typed).toBeGreaterThan(atActivation + 50), 10_000);
  } finally {
    // A failed activation must not leave the typist writing into the next test.
    typing = false;
    await typist;
  }
  const before = editor.text.toString();
  await eventually(async () => expect(await storedText(replica, noteId)).toBe(before), 30_000);

  // The note reached the replica (its baseline is done): what follows can only go live.
  editor.text.insert(editor.text.length, 'after.');
  await eventually(async () => expect(await storedText(replica, noteId)).toBe(`${before}after.`), 30_000);
}
