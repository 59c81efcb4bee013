/**
 * A technique description as MITRE writes it: Markdown with links, inline code and the odd HTML tag,
 * and "(Citation: Name)" markers. Rendered by marked and then sanitized by DOMPurify with a short list
 * of tags (no script, style, image, form or event attribute survives; javascript: links are removed),
 * citations become numbered references listed below, and links to other ATT&CK techniques open them
 * here instead of leaving the app.
 */
import { useMemo, type MouseEvent } from 'react';
import { marked } from 'marked';
import DOMPurify from 'dompurify';

const ALLOWED_TAGS = ['p', 'a', 'code', 'pre', 'em', 'strong', 'b', 'i', 'ul', 'ol', 'li', 'br', 'blockquote', 'sup'];
const ALLOWED_ATTR = ['href', 'title'];
const CITATION = /\(Citation: ([^)]+)\)/g;
/** attack.mitre.org/techniques/T1078 or /T1078/001: a technique this app can open itself. */
const TECHNIQUE_LINK = /^https?:\/\/attack\.mitre\.org\/techniques\/(T\d{4})(?:\/(\d{3}))?\/?$/;

// Every link the sanitizer keeps opens in a new tab without handing the app's window to the page.
DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A' && node.getAttribute('href')) {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer');
  }
});

export interface RenderedDescription {
  html: string;
  citations: string[];
}

export function renderDescription(text: string): RenderedDescription {
  const citations: string[] = [];
  const numbered = text.replace(CITATION, (_, name: string) => {
    const source = name.trim();
    if (!citations.includes(source)) citations.push(source);
    return `<sup>[${citations.indexOf(source) + 1}]</sup>`;
  });
  const html = marked.parse(numbered, { async: false, gfm: true });
  return { html: DOMPurify.sanitize(html, { ALLOWED_TAGS, ALLOWED_ATTR: [...ALLOWED_ATTR, 'target', 'rel'] }), citations };
}

/** The technique id a link points at, if it is a link to an ATT&CK technique page. */
export function linkedTechnique(href: string | null): string | undefined {
  const m = href ? TECHNIQUE_LINK.exec(href) : null;
  return m ? (m[2] ? `${m[1]}.${m[2]}` : m[1]) : undefined;
}

export function Description({ text, onOpenTechnique }: { text: string; onOpenTechnique: (id: string) => boolean }) {
  const rendered = useMemo(() => renderDescription(text), [text]);
  const onClick = (e: MouseEvent<HTMLDivElement>) => {
    const link = (e.target as HTMLElement).closest('a');
    const id = linkedTechnique(link?.getAttribute('href') ?? null);
    // Opened here when this domain knows it; otherwise the link goes to MITRE as written.
    if (id && onOpenTechnique(id)) e.preventDefault();
  };
  return (
    <div className="technique-description">
      {/* Sanitized above by DOMPurify with an allow-list: the only HTML that reaches the page. */}
      <div className="md small" onClick={onClick} dangerouslySetInnerHTML={{ __html: rendered.html }} data-testid="technique-description" />
      {rendered.citations.length > 0 && (
        <ol className="citations small muted" aria-label="Sources">
          {rendered.citations.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ol>
      )}
    </div>
  );
}
