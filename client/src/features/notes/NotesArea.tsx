/** /w/:workspaceId/notes: the list, and /notes/:noteId the editor. */
import { Route, Routes } from 'react-router';
import { NotesList } from './NotesList.js';
import { NoteEditorPage } from './NoteEditorPage.js';
import './notes.css';

export function NotesArea() {
  return (
    <Routes>
      <Route index element={<NotesList />} />
      <Route path=":noteId" element={<NoteEditorPage />} />
    </Routes>
  );
}
