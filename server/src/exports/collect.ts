/**
 * Everything a handoff may contain, gathered for one recipient team through `canSee` and nothing else:
 * the indicators with their sightings and comments, the notes (as text), the ATT&CK marks if the
 * board is visible, and the hunt operation (collectHunt.ts: networks, hosts, findings, samples' hashes,
 * timeline) through the same test. An item is included only when BOTH the recipient team and the caller's own team may
 * see it: an owner exporting for another team must not receive, through the file, what it could not
 * open directly. Every export format is built from this one object, so no format can reach around the
 * filter.
 */
import * as Y from 'yjs';
import {
  canSee,
  NOTE_FRAGMENT,
  type CommentView,
  type IndicatorView,
  type Mark,
  type Marking,
  type SightingView,
  type Team,
  type TlpLevel,
  type Workspace,
} from '@huntroom/shared';
import type { AppContext } from '../context.js';
import { teamStore } from '../teams/store.js';
import { indicatorStore, markedItem, type IndicatorRow } from '../indicators/store.js';
import { presentComment, presentSighting, TeamIndex } from '../indicators/present.js';
import { documentStore } from '../documents/store.js';
import { docStore } from '../collab/store.js';
import { storedState } from '../collab/persistence.js';
import { boardDocId, readMarks } from '../attack/board.js';
import { fragmentToMarkdown } from './noteText.js';
import { fragmentToHtml } from './noteHtml.js';
import { yieldToLoop } from '../util.js';
import { collectHunt, type CollectedHunt, type HuntExport } from './collectHunt.js';

const PAGE = 2_000;

export interface HandoffNote {
  id: string;
  title: string;
  marking: Marking;
  ownerTeam: string;
  updatedAt: string;
  markdown: string;
  /** The body as safe HTML with its indicators defanged (noteHtml.ts), for the HTML report. */
  html: string;
}

export interface HandoffData {
  workspace: Pick<Workspace, 'id' | 'name' | 'description'>;
  recipient: Team;
  teams: Team[];
  generatedAt: string;
  indicators: IndicatorView[];
  sightings: Map<string, SightingView[]>;
  comments: Map<string, CommentView[]>;
  notes: HandoffNote[];
  /** Empty when the ATT&CK board is not releasable to the recipient. */
  marks: Mark[];
  /** The ATT&CK board's TLP when it is releasable to the recipient: the layer file's marking. */
  boardTlp?: TlpLevel;
  /** ATT&CK technique names by id (public knowledge), for labels. */
  techniqueNames: Map<string, string>;
  /** The hunt operation's items, filtered by the same `sees`. */
  hunt: HuntExport;
}

/**
 * What the main thread gathers for an export: the indicators and the timeline's events as rows, which
 * the export thread presents into a HandoffData (worker.ts), so that 100,000 views and their garbage
 * never live on the thread that answers every socket of the node.
 */
export type CollectedData = Omit<HandoffData, 'indicators' | 'hunt'> & { indicators: IndicatorRow[]; hunt: CollectedHunt };

/** A document's content: the live copy when open (after its pending writes), else storage. */
export async function docState(ctx: AppContext, docId: string): Promise<Y.Doc> {
  const doc = new Y.Doc();
  const live = ctx.collab.documents.get(docId);
  if (live) {
    await live.whenPersisted();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(live.doc));
  } else {
    Y.applyUpdate(doc, await storedState(ctx.db, docId));
  }
  return doc;
}

export async function collectForRecipient(
  ctx: AppContext,
  workspace: HandoffData['workspace'],
  recipient: Team,
  techniqueNames: Map<string, string>,
  /** The caller's team: nothing it may not see itself leaves through its export. */
  callerTeamId: string,
): Promise<CollectedData> {
  const teamList = await teamStore.list(ctx.db);
  const teams = new TeamIndex(teamList);
  const sees = (item: Parameters<typeof canSee>[1]) => canSee(recipient.id, item) && canSee(callerTeamId, item);

  // In pages, yielding between them: SQLite reads are synchronous, and 100,000 rows read at once would
  // hold the event loop (every live socket of the node) for a second or more.
  const rows: IndicatorRow[] = [];
  for (let before = Number.MAX_SAFE_INTEGER; ;) {
    const page = await indicatorStore.page(ctx.db, workspace.id, before, PAGE);
    for (const r of page) if (sees(markedItem(r))) rows.push(r);
    if (page.length < PAGE) break;
    before = Number(page.at(-1)!.created_seq);
    await yieldToLoop();
  }
  const shown = new Set(rows.map((r) => r.id));
  const sightings = new Map<string, SightingView[]>();
  const comments = new Map<string, CommentView[]>();
  const add = <T>(m: Map<string, T[]>, key: string, v: T) => (m.get(key) ?? m.set(key, []).get(key)!).push(v);
  for (const s of await indicatorStore.allSightings(ctx.db, workspace.id)) if (shown.has(s.indicator_id)) add(sightings, s.indicator_id, presentSighting(s, teams));
  for (const c of await indicatorStore.allComments(ctx.db, workspace.id)) {
    if (shown.has(c.indicator_id) && sees(markedItem(c))) add(comments, c.indicator_id, presentComment(c, teams));
  }

  const notes: HandoffNote[] = [];
  for (const meta of (await documentStore.list(ctx.db, workspace.id, 'note')).filter(sees)) {
    const doc = await docState(ctx, meta.id);
    notes.push({
      id: meta.id,
      title: meta.title,
      marking: meta.marking,
      ownerTeam: teams.ref(meta.ownerTeamId).code,
      updatedAt: meta.updatedAt,
      markdown: fragmentToMarkdown(doc.getXmlFragment(NOTE_FRAGMENT)),
      html: fragmentToHtml(doc.getXmlFragment(NOTE_FRAGMENT)),
    });
    doc.destroy();
  }

  const board = await docStore.meta(ctx.db, boardDocId(workspace.id));
  let marks: Mark[] = [];
  if (board && sees(board)) {
    const doc = await docState(ctx, board.id);
    marks = readMarks(doc);
    doc.destroy();
  }
  const boardTlp = board && sees(board) ? board.marking.tlp : undefined;

  return {
    workspace,
    recipient,
    teams: teamList,
    generatedAt: new Date().toISOString(),
    indicators: rows,
    sightings,
    comments,
    notes,
    marks,
    ...(boardTlp ? { boardTlp } : {}),
    techniqueNames,
    hunt: await collectHunt(ctx.db, workspace.id, teams, sees),
  };
}
