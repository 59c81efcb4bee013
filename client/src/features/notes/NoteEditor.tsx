/**
 * The rich-text editor bound to the note's Yjs document: TipTap with Collaboration (the shared
 * fragment, undo per user) and CollaborationCaret (others' carets in their team colour with names).
 * Observers get a read-only editor; the server drops their writes anyway. Everyone's is read only until
 * the note is loaded (docStatus.ts, `loaded`: the server's first sync or this device's copy), with a
 * line saying why (DocLoadingNotice).
 */
import { useEffect, useRef } from 'react';
import { EditorContent, useEditor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import { TaskItem, TaskList } from '@tiptap/extension-list';
import { TableKit } from '@tiptap/extension-table';
import { NOTE_FRAGMENT } from '@huntroom/shared';
import type { DocSession, PresenceUser } from '../../lib/collab/docSession.js';
import type { DocStatus } from '../../lib/collab/docStatus.js';
import { DocLoadingNotice } from '../../components/DocLoadingNotice.js';
import { DefangDisplay, defangMetaKey } from './defang.js';
import { Toolbar } from './Toolbar.js';

export function NoteEditor({
  session,
  user,
  readOnly,
  defanged,
  status,
}: {
  session: DocSession;
  user: PresenceUser;
  readOnly: boolean;
  defanged: boolean;
  status: Pick<DocStatus, 'loaded' | 'link'>;
}) {
  const editable = !readOnly && status.loaded;
  // Read by the link extension at the moment it would link: the editor is not rebuilt on a toggle.
  const defangedNow = useRef(defanged);
  useEffect(() => {
    defangedNow.current = defanged;
  }, [defanged]);
  const editor = useEditor(
    {
      extensions: [
        // Collaboration brings its own undo (per user, over the shared document).
        // With the defanged display on, nothing typed or pasted turns into a link (an IOC must not be one click away).
        StarterKit.configure({ undoRedo: false, link: { openOnClick: false, autolink: true, linkOnPaste: true, shouldAutoLink: () => !defangedNow.current } }),
        Collaboration.configure({ document: session.doc, field: NOTE_FRAGMENT }),
        CollaborationCaret.configure({ provider: session.provider, user }),
        TaskList,
        TaskItem.configure({ nested: true }),
        TableKit.configure({ table: { resizable: false } }),
        DefangDisplay,
      ],
      editable,
      editorProps: { attributes: { class: 'prose', 'data-testid': 'note-editor', role: 'textbox', 'aria-multiline': 'true', 'aria-label': 'Note text' } },
    },
    [session],
  );

  useEffect(() => {
    if (editor && !editor.isDestroyed) editor.view.dispatch(editor.state.tr.setMeta(defangMetaKey, defanged));
  }, [editor, defanged]);

  useEffect(() => {
    if (editor && !editor.isDestroyed && editor.isEditable !== editable) editor.setEditable(editable);
  }, [editor, editable]);

  return (
    <div className="editor-shell">
      <DocLoadingNotice status={status} what="note" />
      {editable && <Toolbar editor={editor} />}
      <EditorContent editor={editor} className="editor-content" />
    </div>
  );
}
