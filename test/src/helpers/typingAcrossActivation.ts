/**
 * The check of the activation suites (integration/federation-docs-activation.test.ts and its cluster
 * version): updates stored around a share's activation all cross. The editor types one short edit per
 * turn of the test's event loop, from before the share is offered until well after it is active at the
 * home, so the home's tap sees the workspace shared with no one many times and then the activation
 * commits in the middle of the typing. Each update is either sent live or in the note's baseline, so
 * the replica must end with the whole text; an edit made once the note reached the replica can only go
 * live, so it must arrive too. `typeAround` is the typing alone, around any change.
 */
import { expect } from 'vitest';
import type { Huntroom } from '@huntroom/server';
import { storedText } from './federationData.js';
import { eventually, type Client } from './yjs.js';

/** `activate` returns once the share is active at the home; `replica` is the instance the note crosses to. */
export async function typeAcrossActivation(editor: Client, replica: Huntroom, noteId: string, activate: () => Promise<void>): Promise<void> {
  const before = await typeAround(editor, activate);
  await eventually(async () => expect(await storedText(replica, noteId)).toBe(before), 30_000);

  // The note reached the replica (its baseline is done): what follows can only go live.
  editor.text.insert(editor.text.length, 'after.');
  await eventually(async () => expect(await storedText(replica, noteId)).toBe(`${before}after.`), 30_000);
}

/**
 * Types into `editor` without pause, one short edit per turn of the test's event loop (each its own
 * update and, mostly, its own transaction at the home), from `lead` edits before `during` starts until
 * `trail` edits after it returned. Returns the editor's text then.
 */
export async function typeAround(editor: Client, during: () => Promise<void>, { lead = 20, trail = 50 } = {}): Promise<string> {
  let typing = true;
  let typed = 0;
  const typist = (async () => {
    while (typing) {
      editor.text.insert(editor.text.length, `${typed++};`);
      await new Promise((r) => setTimeout(r, 2));
    }
  })();
  try {
    await eventually(() => expect(typed).toBeGreaterThan(lead), 10_000);
    await during();
    const after = typed;
    await eventually(() => expect(typed).toBeGreaterThan(after + trail), 10_000);
  } finally {
    // A failed `during` must not leave the typist writing into the next test.
    typing = false;
    await typist;
  }
  return editor.text.toString();
}
