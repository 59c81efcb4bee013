/**
 * A note's TipTap/ProseMirror Yjs fragment as Markdown, for the handoff report: headings, paragraphs,
 * lists and task lists, code blocks, quotes and tables. Inline marks are dropped (the report keeps the
 * words, not the styling). Unknown nodes keep their text.
 */
import * as Y from 'yjs';

const inline = (node: Y.XmlElement | Y.XmlText): string =>
  node instanceof Y.XmlText
    ? (node.toDelta() as { insert?: unknown }[]).map((d) => (typeof d.insert === 'string' ? d.insert : '')).join('')
    : node
        .toArray()
        .map((c) => inline(c as Y.XmlElement | Y.XmlText))
        .join('');

function block(node: Y.XmlElement | Y.XmlText, prefix = ''): string[] {
  if (node instanceof Y.XmlText) return [prefix + inline(node)];
  const kids = node.toArray() as (Y.XmlElement | Y.XmlText)[];
  switch (node.nodeName) {
    case 'heading':
      return [`${'#'.repeat(Math.min(6, Number(node.getAttribute('level')) || 1))} ${inline(node)}`, ''];
    case 'paragraph':
      return [prefix + inline(node), ...(prefix ? [] : [''])];
    case 'codeBlock':
      return ['```', ...inline(node).split('\n'), '```', ''];
    case 'blockquote':
      return kids.flatMap((k) => block(k, '> '));
    case 'bulletList':
    case 'orderedList':
    case 'taskList':
      return [...kids.flatMap((k, i) => block(k, node.nodeName === 'orderedList' ? `${i + 1}. ` : '- ')), ''];
    case 'listItem':
    case 'taskItem': {
      const box = node.nodeName === 'taskItem' ? (node.getAttribute('checked') === 'true' || (node.getAttribute('checked') as unknown) === true ? '[x] ' : '[ ] ') : '';
      const [first, ...rest] = kids.flatMap((k) => block(k, ''));
      return [prefix + box + (first ?? ''), ...rest.filter(Boolean).map((l) => `  ${l}`)];
    }
    case 'table':
      return [
        ...kids.flatMap((row, i) => {
          const cells = (row as Y.XmlElement).toArray().map((c) => inline(c as Y.XmlElement).replace(/\|/g, '\\|'));
          return i === 0 ? [`| ${cells.join(' | ')} |`, `|${cells.map(() => ' --- |').join('')}`] : [`| ${cells.join(' | ')} |`];
        }),
        '',
      ];
    case 'horizontalRule':
      return ['---', ''];
    default:
      return kids.flatMap((k) => block(k, prefix));
  }
}

export function fragmentToMarkdown(fragment: Y.XmlFragment): string {
  const lines = (fragment.toArray() as (Y.XmlElement | Y.XmlText)[]).flatMap((n) => block(n));
  return lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
