/**
 * Puts a technique or an indicator on the board as a labelled shape, after checking that the
 * indicator may be seen by every team that may see the board: a shape's label is a copy of the
 * value, released to the board's audience, so a narrower indicator is refused with the teams it
 * would reach. Techniques are public knowledge and always allowed.
 */
import { convertToExcalidrawElements, viewportCoordsToSceneCoords, CaptureUpdateAction } from '@excalidraw/excalidraw';
import type { ExcalidrawImperativeAPI } from '@excalidraw/excalidraw/types';
import { teamsExposedByCopy, type IndicatorView, type Team, type TitledDocument } from '@huntroom/shared';
import { get } from '../../lib/api.js';
import { labelledShape, type BoardItem } from './shapes.js';

export class NotReleasableError extends Error {}

async function checkReleasable(workspaceId: string, item: BoardItem, board: TitledDocument): Promise<void> {
  if (item.kind !== 'indicator') return;
  const [{ indicator }, { teams }] = await Promise.all([
    get<{ indicator: IndicatorView }>(`/api/workspaces/${workspaceId}/indicators/${item.id}`),
    get<{ teams: Team[] }>('/api/teams'),
  ]);
  const idOf = new Map(teams.map((t) => [t.code, t.id]));
  const marked = {
    marking: { tlp: indicator.tlp, releasableTo: indicator.releasableTo.map((code) => idOf.get(code) ?? code) },
    ownerTeamId: indicator.ownerTeam.id,
  };
  const exposed = teamsExposedByCopy(marked, board, teams.map((t) => t.id));
  if (exposed.length > 0) {
    const codes = teams.filter((t) => exposed.includes(t.id)).map((t) => t.code);
    throw new NotReleasableError(
      `Not added: ${indicator.value} is TLP:${indicator.tlp}${indicator.releasableTo.length ? ` releasable to ${indicator.releasableTo.join(', ')}` : ''}, and this whiteboard is visible to ${codes.join(', ')}.`,
    );
  }
}

/** At a viewport point (a drop), or else in the middle of what the user sees. */
export async function addToBoard(api: ExcalidrawImperativeAPI, workspaceId: string, board: TitledDocument, item: BoardItem, at?: { clientX: number; clientY: number }): Promise<void> {
  await checkReleasable(workspaceId, item, board);
  const state = api.getAppState();
  const point = at ?? { clientX: state.offsetLeft + state.width / 2, clientY: state.offsetTop + state.height / 2 };
  const { x, y } = viewportCoordsToSceneCoords(point, state);
  const added = convertToExcalidrawElements([labelledShape(item, x, y)]);
  api.updateScene({ elements: [...api.getSceneElementsIncludingDeleted(), ...added], captureUpdate: CaptureUpdateAction.IMMEDIATELY });
  api.setToast({ message: `Added ${item.kind === 'technique' ? item.id : item.type} to the board`, duration: 2000 });
}
