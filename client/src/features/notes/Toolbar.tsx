/** Formatting buttons; every one also has TipTap's keyboard shortcut (shown in its title). */
import type { Editor } from '@tiptap/react';

interface Tool {
  label: string;
  title: string;
  run: (e: Editor) => void;
  active?: (e: Editor) => boolean;
}

const TOOLS: Tool[] = [
  { label: 'H1', title: 'Heading 1 (Ctrl+Alt+1)', run: (e) => e.chain().focus().toggleHeading({ level: 1 }).run(), active: (e) => e.isActive('heading', { level: 1 }) },
  { label: 'H2', title: 'Heading 2 (Ctrl+Alt+2)', run: (e) => e.chain().focus().toggleHeading({ level: 2 }).run(), active: (e) => e.isActive('heading', { level: 2 }) },
  { label: 'B', title: 'Bold (Ctrl+B)', run: (e) => e.chain().focus().toggleBold().run(), active: (e) => e.isActive('bold') },
  { label: 'I', title: 'Italic (Ctrl+I)', run: (e) => e.chain().focus().toggleItalic().run(), active: (e) => e.isActive('italic') },
  { label: '• List', title: 'Bullet list (Ctrl+Shift+8)', run: (e) => e.chain().focus().toggleBulletList().run(), active: (e) => e.isActive('bulletList') },
  { label: '1. List', title: 'Numbered list (Ctrl+Shift+7)', run: (e) => e.chain().focus().toggleOrderedList().run(), active: (e) => e.isActive('orderedList') },
  { label: 'Tasks', title: 'Checklist (Ctrl+Shift+9)', run: (e) => e.chain().focus().toggleTaskList().run(), active: (e) => e.isActive('taskList') },
  { label: '</> Code', title: 'Code block (Ctrl+Alt+C)', run: (e) => e.chain().focus().toggleCodeBlock().run(), active: (e) => e.isActive('codeBlock') },
  { label: 'Table', title: 'Insert a 3×3 table', run: (e) => e.chain().focus().insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run() },
  {
    label: 'Link',
    title: 'Link the selection',
    run: (e) => {
      const href = window.prompt('Link address', e.getAttributes('link').href as string | undefined);
      if (href === null) return;
      if (href === '') e.chain().focus().unsetLink().run();
      else e.chain().focus().setLink({ href }).run();
    },
    active: (e) => e.isActive('link'),
  },
];

export function Toolbar({ editor }: { editor: Editor | null }) {
  if (!editor) return null;
  return (
    <div className="toolbar" role="toolbar" aria-label="Formatting">
      {TOOLS.map((t) => (
        <button
          key={t.label}
          type="button"
          className={`tool ${t.active?.(editor) ? 'on' : ''}`}
          title={t.title}
          aria-pressed={t.active ? t.active(editor) : undefined}
          onMouseDown={(ev) => ev.preventDefault()}
          onClick={() => t.run(editor)}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}
