/**
 * Updates stored around a share's activation all cross (server/src/federation/documents/outgoing.ts
 * `stored`: a workspace shared with no one costs its updates one read). alice edits a note on us-cert
 * without pause from before the workspace is offered until after lv-cert's acceptance made the share
 * active: us-cert's tap has seen the workspace shared with no one many times, then the activation
 * commits. Each update is either sent live or in the note's baseline state, so lv-cert ends with her
 * whole text; and an edit made once the note reached lv-cert can only go live. The cluster version
 * (the activation on another node than the editor's) is cluster/federation-activation-cluster.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { makeWorkspace } from '../helpers/foundation.js';
import { loginOn, shareWorkspace } from '../helpers/federation.js';
import { nationPair } from '../helpers/nationPair.js';
import { typeAcrossActivation } from '../helpers/typingAcrossActivation.js';
import { connect, synced } from '../helpers/yjs.js';

describe('documents across instances: a share activated while a note is edited', () => {
  const nations = nationPair();

  it('sends every update made around the activation, live or in the baseline, and the next ones live', async () => {
    const { us, lv } = nations;
    const alice = await loginOn(us, 'alice');
    const ws = await makeWorkspace(alice, 'Operation Activation');
    const made = await alice.post<{ id: string }>(`/api/workspaces/${ws}/notes`, { title: 'Around the activation', marking: { tlp: 'AMBER', releasableTo: ['US', 'LV'] } });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const id = made.body.id;
    const editor = connect(us, id, alice);
    try {
      await synced(editor);
      // shareWorkspace returns once the share is active at the home.
      await typeAcrossActivation(editor, lv, id, async () => void (await shareWorkspace(us, lv, ws)));
    } finally {
      editor.destroy();
    }
  }, 120_000);
});
