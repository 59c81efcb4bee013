/**
 * A note's TipTap/ProseMirror Yjs fragment as HTML for the report: headings, paragraphs, lists and
 * task lists, code blocks, quotes, tables, bold, italic and inline code. Written from the document's
 * structure (not by parsing the Markdown of noteText.ts), with every text escaped and every network
 * indicator in it defanged (defangText.ts). Links become their defanged text, never an anchor: a
 * report is read by people who must not reach the attacker's infrastructure by a click.
 */
import * as Y from 'yjs';
import { defangText } from './defangText.js';

export const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

type Node = Y.XmlElement | Y.XmlText;
interface Delta {
  insert?: unknown;
  attributes?: Record<string, unknown>;
}

/** Text runs with their marks; a link keeps its (defanged) address next to its words. */
function runs(text: Y.XmlText): string {
  return (text.toDelta() as Delta[])
    .map(({ insert, attributes: a = {} }) => {
      if (typeof insert !== 'string') return '';
      let out = escapeHtml(defangText(insert));
      const href = (a.link as { href?: unknown } | undefined)?.href;
      if (typeof href === 'string' && href && !insert.includes(href)) out += ` <span class="link">(${escapeHtml(defangText(href))})</span>`;
      if (a.code) out = `<code>${out}</code>`;
      if (a.bold) out = `<strong>${out}</strong>`;
      if (a.italic) out = `<em>${out}</em>`;
      if (a.strike) out = `<s>${out}</s>`;
      return out;
    })
    .join('');
}

const inline = (node: Node): string => (node instanceof Y.XmlText ? runs(node) : node.nodeName === 'hardBreak' ? '<br>' : (node.toArray() as Node[]).map(inline).join(''));
const plain = (node: Node): string =>
  node instanceof Y.XmlText ? (node.toDelta() as Delta[]).map((d) => (typeof d.insert === 'string' ? d.insert : '')).join('') : (node.toArray() as Node[]).map(plain).join('');

function block(node: Node): string {
  if (node instanceof Y.XmlText) return `<p>${runs(node)}</p>`;
  const kids = () => (node.toArray() as Node[]).map(block).join('');
  switch (node.nodeName) {
    case 'heading': {
      // Note headings sit under the report's own h3 for the note.
      const level = Math.min(6, (Number(node.getAttribute('level')) || 1) + 3);
      return `<h${level}>${inline(node)}</h${level}>`;
    }
    case 'paragraph':
      return `<p>${inline(node)}</p>`;
    case 'codeBlock':
      return `<pre><code>${escapeHtml(defangText(plain(node)))}</code></pre>`;
    case 'blockquote':
      return `<blockquote>${kids()}</blockquote>`;
    case 'bulletList':
      return `<ul>${kids()}</ul>`;
    case 'orderedList':
      return `<ol>${kids()}</ol>`;
    case 'taskList':
      return `<ul class="tasks">${kids()}</ul>`;
    case 'listItem':
      return `<li>${kids()}</li>`;
    case 'taskItem': {
      const checked = String(node.getAttribute('checked')) === 'true';
      return `<li><span aria-label="${checked ? 'done' : 'open'}">${checked ? '☑' : '☐'}</span> ${kids()}</li>`;
    }
    case 'table':
      return `<table>${kids()}</table>`;
    case 'tableRow':
      return `<tr>${kids()}</tr>`;
    case 'tableHeader':
      return `<th>${kids()}</th>`;
    case 'tableCell':
      return `<td>${kids()}</td>`;
    case 'horizontalRule':
      return '<hr>';
    case 'hardBreak':
      return '<br>';
    default:
      return kids();
  }
}

export function fragmentToHtml(fragment: Y.XmlFragment): string {
  return (fragment.toArray() as Node[]).map(block).join('\n');
}
