/** A version rendered read-only from its stored Yjs update, in a document of its own. */
import { useMemo } from 'react';
import * as Y from 'yjs';
import { EditorContent, useEditor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import Collaboration from '@tiptap/extension-collaboration';
import { TaskItem, TaskList } from '@tiptap/extension-list';
import { TableKit } from '@tiptap/extension-table';
import { NOTE_FRAGMENT, type NoteVersionContent } from '@huntroom/shared';

function docFrom(base64: string): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(
    doc,
    Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)),
  );
  return doc;
}

export function VersionViewer({ version, onClose }: { version: NoteVersionContent; onClose: () => void }) {
  const doc = useMemo(() => docFrom(version.update), [version.update]);
  const editor = useEditor(
    {
      extensions: [StarterKit.configure({ undoRedo: false }), Collaboration.configure({ document: doc, field: NOTE_FRAGMENT }), TaskList, TaskItem, TableKit],
      editable: false,
      editorProps: { attributes: { class: 'prose', 'data-testid': 'version-viewer' } },
    },
    [doc],
  );
  return (
    <div className="version-view">
      <div className="row-actions">
        <strong>Viewing “{version.name}”</strong>
        <button className="btn small" onClick={onClose}>
          Close
        </button>
      </div>
      <EditorContent editor={editor} />
    </div>
  );
}
