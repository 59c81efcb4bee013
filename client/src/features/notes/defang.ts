/**
 * Defanged display of IOCs in a note: dots of hosts and IPs are shown as [.] and http(s) as hxxp(s),
 * so a pasted indicator cannot be clicked or auto-linked by a reader's tools. It is display only:
 * ProseMirror decorations change what is drawn, never the shared document. Only what could be clicked
 * or resolved is defanged: a file path (`C:\Users\Public\svchost.exe`), a registry key or a file
 * name merely contains dots and is shown as written. While it is on, links in the note do not open
 * (an IOC a teammate pasted raw is not one click away) and nothing typed or pasted becomes a link.
 */
import { Plugin, PluginKey, type EditorState } from '@tiptap/pm/state';
import { Decoration, DecorationSet, type EditorView } from '@tiptap/pm/view';
import type { Node as PmNode } from '@tiptap/pm/model';
import { Extension } from '@tiptap/core';

export interface DefangRange {
  /** Offset in the text of the dot, or of the "tt" of http. */
  at: number;
  kind: 'dot' | 'scheme';
}

// A URL, or a dotted host name ending in a letter label of 2+ characters, or a dotted quad. A host
// right after "/", "\" or "]" is a path (a.php in .../a.php, svchost.exe in C:\...\svchost.exe) or an
// already defanged URL, not a host.
const TOKEN = /\bhttps?:\/\/[^\s<>"']+|(?<![/\\\]\w.-])(?:[a-z0-9-]+\.)+[a-z]{2,63}\b|\b\d{1,3}(?:\.\d{1,3}){3}\b/gi;

// File name endings that are no top-level domain: `invoice.pdf.exe` is a file, not a host. Endings
// that are also TLDs in use (.zip, .mov, .pl, .py, .sh, .md...) stay defanged: safer to bracket a
// file name than to leave a live domain.
const FILE_ENDINGS = new Set(
  'exe dll sys scr bat cmd ps1 psm1 psd1 vbs vbe jse wsf hta lnk msi msp cpl ocx drv tmp dat log txt ini cfg conf json xml yml yaml csv tsv pdf doc docx docm dot dotm xls xlsx xlsm ppt pptx pptm rtf odt iso img vhd vhdx rar 7z gz tgz bz2 xz tar jar apk dmg pkg deb rpm elf bin dmp evtx etl pf sqlite db lock bak old yar yara pcap pcapng eml msg'.split(
    ' ',
  ),
);

/** Where to draw the defanged marks in one text. Pure, for tests. */
export function defangRanges(text: string): DefangRange[] {
  const out: DefangRange[] = [];
  for (const m of text.matchAll(TOKEN)) {
    const start = m.index ?? 0;
    let token = m[0];
    if (!/^https?:/i.test(token) && FILE_ENDINGS.has(token.slice(token.lastIndexOf('.') + 1).toLowerCase())) continue;
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

/** Whether the defanged display is on in this editor. */
export const defangIsOn = (state: EditorState): boolean => !!key.getState(state);

function blockLinkWhenOn(view: EditorView, event: Event): boolean {
  if (!defangIsOn(view.state) || !(event.target instanceof Element) || !event.target.closest('a')) return false;
  event.preventDefault();
  return true;
}

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
        props: {
          decorations: (state) => key.getState(state) ?? null,
          // On: links are drawn as text (notes.css) and a click, middle click or Enter on one opens nothing.
          attributes: (state): Record<string, string> => (key.getState(state) ? { class: 'defang-on' } : {}),
          handleDOMEvents: {
            click: blockLinkWhenOn,
            auxclick: blockLinkWhenOn,
          },
        },
      }),
    ];
  },
});

export const defangMetaKey = key;
