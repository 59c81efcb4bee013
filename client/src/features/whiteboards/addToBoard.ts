/**
 * Puts a technique or an indicator on the board as a labelled shape, after checking that the
 * indicator may be seen by every team that may see the board (a narrower one is refused with the
 * teams it would reach). The document gets only the indicator's id: every viewer's client draws its
 * label from its own view (placementLabels.ts), so a later narrowing hides it on the board too.
 * Techniques are public knowledge and always allowed.
 */
import { convertToExcalidrawElements, viewportCoordsToSceneCoords, CaptureUpdateAction } from '@excalidraw/excalidraw';
import type { ExcalidrawImperativeAPI } from '@excalidraw/excalidraw/types';
import { teamsExposedByCopy, type IndicatorView, type Team, type TitledDocument } from '@huntroom/shared';
import { get } from '../../lib/api.js';
import { labelledShape, placementOf, SHAPE_SIZE, type BoardItem } from './shapes.js';
import { freeSpot } from './placement.js';
import type { PlacementLabels } from './placementLabels.js';

export class NotReleasableError extends Error {}

async function checkReleasable(workspaceId: string, item: BoardItem, board: TitledDocument): Promise<IndicatorView | undefined> {
  if (item.kind !== 'indicator') return undefined;
  const [{ indicator }, { teams }] = await Promise.all([
    get<{ indicator: IndicatorView }>(`/api/workspaces/${workspaceId}/indicators/${item.id}`),
    get<{ teams: Team[] }>('/api/teams'),
  ]);
  const idOf = new Map(teams.map((t) => [t.code, t.id]));
  const marked = {
    marking: { tlp: indicator.tlp, releasableTo: indicator.releasableTo.map((code) => idOf.get(code) ?? code) },
    ownerTeamId: indicator.ownerTeam.id,
  };
  const exposed = teamsExposedByCopy(
    marked,
    board,
    teams.map((t) => t.id),
  );
  if (exposed.length > 0) {
    const codes = teams.filter((t) => exposed.includes(t.id)).map((t) => t.code);
    throw new NotReleasableError(
      `Not added: ${indicator.value} is TLP:${indicator.tlp}${indicator.releasableTo.length ? ` releasable to ${indicator.releasableTo.join(', ')}` : ''}, and this whiteboard is visible to ${codes.join(', ')}.`,
    );
  }
  return indicator;
}

/** At a viewport point (a drop), or else in the free spot nearest the middle of what the user sees. */
export async function addToBoard(
  api: ExcalidrawImperativeAPI,
  workspaceId: string,
  board: TitledDocument,
  item: BoardItem,
  at?: { clientX: number; clientY: number },
  labels?: PlacementLabels,
): Promise<void> {
  const indicator = await checkReleasable(workspaceId, item, board);
  if (indicator) labels?.prime(indicator);
  const state = api.getAppState();
  const point = at ?? { clientX: state.offsetLeft + state.width / 2, clientY: state.offsetTop + state.height / 2 };
  const dropped = viewportCoordsToSceneCoords(point, state);
  const { x, y } = at ? dropped : freeSpot(dropped, SHAPE_SIZE, api.getSceneElements());
  // The label inside an indicator's shape is marked too, so the binding knows to keep its text local.
  const added = convertToExcalidrawElements([labelledShape(item, x, y)]).map((el) =>
    item.kind === 'indicator' && el.type === 'text' ? { ...el, customData: { huntroom: placementOf(item) } } : el,
  );
  api.updateScene({ elements: [...api.getSceneElementsIncludingDeleted(), ...added], captureUpdate: CaptureUpdateAction.IMMEDIATELY });
  api.setToast({ message: `Added ${item.kind === 'technique' ? item.id : item.type} to the board`, duration: 2000 });
}
