/** Row to wire shape for titled documents (notes, whiteboards). */
import type { TitledDocument } from '@huntroom/shared';
import type { DocMeta } from '../collab/store.js';

export const presentDocument = (m: DocMeta): TitledDocument => ({
  id: m.id,
  workspaceId: m.workspaceId,
  title: m.title,
  docId: m.id,
  marking: m.marking,
  ownerTeamId: m.ownerTeamId,
  createdBy: m.createdBy,
  createdAt: m.createdAt,
  updatedAt: m.updatedAt,
});
