/** The workspace's notes: the shared document list with the notes' words. */
import { DocumentList, type DocumentKind } from '../documents/DocumentList.js';

const NOTES: DocumentKind = { path: 'notes', noun: 'note', heading: 'Hunt notes', placeholder: 'e.g. Lateral movement on DC01', testId: 'note' };

export const NotesList = () => <DocumentList kind={NOTES} />;
