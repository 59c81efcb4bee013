/** /w/:workspaceId/whiteboard: the list, and /whiteboard/:boardId one board. */
import { Route, Routes } from 'react-router';
import { DocumentList, type DocumentKind } from '../documents/DocumentList.js';
import { WhiteboardPage } from './WhiteboardPage.js';
import './whiteboards.css';

const WHITEBOARDS: DocumentKind = { path: 'whiteboards', noun: 'whiteboard', heading: 'Whiteboards', placeholder: 'e.g. Attacker path into OT', testId: 'wb' };

export function WhiteboardsArea() {
  return (
    <Routes>
      <Route index element={<DocumentList kind={WHITEBOARDS} />} />
      <Route path=":boardId" element={<WhiteboardPage />} />
    </Routes>
  );
}
