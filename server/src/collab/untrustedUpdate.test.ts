import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import * as Y from 'yjs';
import { applyUntrusted } from './untrustedUpdate.js';

/** A document with real content, and the update that builds it. */
function seeded() {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, 'indicator 198.51.100.23 seen on host WS-17');
  doc.getXmlFragment('default').insert(0, [new Y.XmlElement('paragraph')]);
  return doc;
}

describe('applyUntrusted', () => {
  it('applies a genuine update', () => {
    const src = seeded();
    const dst = new Y.Doc();
    expect(applyUntrusted(dst, Y.encodeStateAsUpdate(src), null, 1024)).toBe('applied');
    expect(dst.getText('t').toString()).toBe(src.getText('t').toString());
  });

  it('survives 3,000 random byte strings without changing existing content or keeping garbage', () => {
    const doc = seeded();
    const before = doc.getText('t').toString();
    const results = new Map<string, number>();
    for (let i = 0; i < 3_000; i++) {
      const bytes = randomBytes(1 + (i % 512));
      const r = applyUntrusted(doc, new Uint8Array(bytes), null, 64 * 1024);
      results.set(r, (results.get(r) ?? 0) + 1);
    }
    expect(doc.getText('t').toString()).toBe(before);
    // Most random bytes do not even decode; whatever did is harmless to the existing text.
    expect(results.get('malformed') ?? 0).toBeGreaterThan(2_000);
    // The document still encodes, and a fresh copy of it equals it.
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
    expect(copy.getText('t').toString()).toBe(before);
  });

  it('drops pending structs past the cap and reports the sender', () => {
    const a = new Y.Doc();
    a.getText('t').insert(0, 'x'.repeat(2_000));
    const sv = Y.encodeStateVector(a);
    a.getText('t').insert(0, 'y'.repeat(5_000));
    const onlyLater = Y.encodeStateAsUpdate(a, sv); // depends on content the target lacks
    const target = new Y.Doc();
    expect(applyUntrusted(target, onlyLater, null, 1_000)).toBe('pending-overflow');
    expect(target.store.pendingStructs).toBeNull();
    // Under the cap the same update waits for its dependencies, as Yjs intends.
    const patient = new Y.Doc();
    expect(applyUntrusted(patient, onlyLater, null, 1_000_000)).toBe('applied');
    expect(patient.store.pendingStructs).not.toBeNull();
  });
});
