/**
 * Defanged display of IOCs in a note: dots of hosts and IPs are shown as [.] and http(s) as hxxp(s),
 * so a pasted indicator cannot be clicked or auto-linked by a reader's tools. It is display only:
 * ProseMirror decorations change what is drawn, never the shared document.
 */
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import type { Node as PmNode } from '@tiptap/pm/model';
import { Extension } from '@tiptap/core';

export interface DefangRange {
  /** Offset in the text of the dot, or of the "tt" of http. */
  at: number;
  kind: 'dot' | 'scheme';
}

// A URL, or a dotted host name ending in a letter label of 2+ characters, or a dotted quad. A host
// right after "/" or "]" is a path or an already defanged URL (a.php in .../a.php), not a host.
const TOKEN = /\bhttps?:\/\/[^\s<>"']+|(?<![/\]\w.-])(?:[a-z0-9-]+\.)+[a-z]{2,63}\b|\b\d{1,3}(?:\.\d{1,3}){3}\b/gi;

/** Where to draw the defanged marks in one text. Pure, for tests. */
export function defangRanges(text: string): DefangRange[] {
  const out: DefangRange[] = [];
  for (const m of text.matchAll(TOKEN)) {
    const start = m.index ?? 0;
    let token = m[0];
    let hostStart = start;
    if (/^https?:\/\//i.test(token)) {
      out.push({ at: start + 1, kind: 'scheme' });
      hostStart = start + token.indexOf('//') + 2;
      token = token.slice(hostStart - start).split(/[/?#:]/)[0] ?? '';
    }
    for (let i = token.indexOf('.'); i !== -1; i = token.indexOf('.', i + 1)) out.push({ at: hostStart + i, kind: 'dot' });
  }
  return out;
}

function bracket(text: string): HTMLElement {
  const span = document.createElement('span');
  span.className = 'defang-mark';
  span.textContent = text;
  return span;
}

function decorate(doc: PmNode): DecorationSet {
  const decos: Decoration[] = [];
  doc.descendants((node, pos) => {
    if (!node.isText || !node.text) return;
    for (const r of defangRanges(node.text)) {
      const at = pos + r.at;
      if (r.kind === 'dot') {
        decos.push(
          Decoration.widget(at, () => bracket('['), { side: -1 }),
          Decoration.widget(at + 1, () => bracket(']'), { side: 1 }),
        );
      } else {
        decos.push(
          Decoration.inline(at, at + 2, { class: 'defang-hidden' }),
          Decoration.widget(at, () => bracket('xx'), { side: -1 }),
        );
      }
    }
  });
  return DecorationSet.create(doc, decos);
}

const key = new PluginKey<DecorationSet | null>('defang');

/** TipTap extension; `editor.commands.setMeta` is not needed: toggle with `setDefanged(view, on)`. */
export const DefangDisplay = Extension.create({
  name: 'defangDisplay',
  addProseMirrorPlugins() {
    return [
      new Plugin<DecorationSet | null>({
        key,
        state: {
          init: () => null,
          apply(tr, old, _prev, next) {
            const flag = tr.getMeta(key) as boolean | undefined;
            if (flag === false) return null;
            if (flag === true || (old && tr.docChanged)) return decorate(next.doc);
            return old;
          },
        },
        props: { decorations: (state) => key.getState(state) ?? null },
      }),
    ];
  },
});

export const defangMetaKey = key;
