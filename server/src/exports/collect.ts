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
  type MarkedItem,
  type Marking,
  type SightingView,
  type Team,
  type TlpLevel,
  type Workspace,
} from '@huntroom/shared';
import type { AppContext } from '../context.js';
import { teamStore } from '../teams/store.js';
import { indicatorStore, markedItem, type CommentRow, type IndicatorRow, type SightingRow } from '../indicators/store.js';
import { TeamIndex } from '../indicators/present.js';
import { timelineStore, type MarkingRow as TimelineMarkingRow, type TimelineRow } from '../hunt/timeline/store.js';
import { documentStore } from '../documents/store.js';
import { docStore } from '../collab/store.js';
import { storedState } from '../collab/persistence.js';
import { boardDocId, readMarks } from '../attack/board.js';
import { fragmentToMarkdown } from './noteText.js';
import { fragmentToHtml } from './noteHtml.js';
import { eachPage, yieldToLoop } from '../util.js';
import { collectHuntHead, readTimeline, type HuntExport, type HuntHead } from './collectHunt.js';

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
 * What the main thread gathers for an export before the export thread starts: everything but the
 * indicators (with their sightings and comments) and the timeline's events, which can number 100,000
 * and are read afterwards a page at a time and handed to the export thread as rows as each page is read
 * (`readRows`, build.ts); the export thread presents them into a HandoffData (worker.ts). So the main
 * thread, which answers every socket of the node, never holds more than one page of them, nor builds
 * 100,000 views and collects their garbage.
 */
export type CollectedHead = Omit<HandoffData, 'indicators' | 'sightings' | 'comments' | 'hunt'> & { hunt: HuntHead };

/** The head, and the test every row read after it must pass (both teams may see it). */
export interface Collected {
  head: CollectedHead;
  sees: (item: MarkedItem) => boolean;
}

/** A page of indicators that passed `sees`, with their sightings and the comments that passed it too. */
export interface IndicatorPage {
  items: IndicatorRow[];
  /** Oldest first. */
  sightings: SightingRow[];
  comments: CommentRow[];
}

/**
 * Where the rows go, page by page, in the order the formats list them: the indicators newest first
 * (each page with its indicators' sightings and comments, oldest first), then the
 * timeline's events oldest first. Every row has passed the same tests as before the pages: an
 * indicator and a comment when `sees` them, a sighting with its indicator.
 */
export interface RowSink {
  indicators(page: IndicatorPage): void;
  events(rows: TimelineRow[]): void;
  /** True once nobody wants the rest (the export thread failed): reading stops. */
  stopped?(): boolean;
}

/**
 * Indicators read per turn of the event loop (their sightings and comments in a turn each). A page of
 * 2,000 took tens of ms to read on a loaded machine; at 500 the read was 5-12 ms of CPU and the
 * sightings of a page whose indicators had five each 6-19 ms (load 3-10), so a turn passed 20 ms.
 */
const PAGE = 250;

/** A document's content: the live copy when open (after its pending writes), else storage. */
export async function docState(ctx: AppContext, docId: string): Promise<Y.Doc> {
  const doc = new Y.Doc();
  const live = ctx.collab.documents.get(docId);
  if (live) {
    await live.whenPersisted();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(live.doc));
  } else {
    // A large note's stored log is folded in the worker pool (persistence.ts), not on the main thread.
    Y.applyUpdate(doc, await storedState(ctx.db, docId, { workers: ctx.resources.workers, log: ctx.log }));
  }
  return doc;
}

export async function collectHead(
  ctx: AppContext,
  workspace: HandoffData['workspace'],
  recipient: Team,
  techniqueNames: Map<string, string>,
  /** The caller's team: nothing it may not see itself leaves through its export. */
  callerTeamId: string,
): Promise<Collected> {
  const teamList = await teamStore.list(ctx.db);
  const teams = new TeamIndex(teamList);
  const sees = (item: MarkedItem) => canSee(recipient.id, item) && canSee(callerTeamId, item);

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
    // A turn of the event loop per note: SQLite answers at once, so without it every note of the
    // workspace was read, decoded and rendered in one turn (the first export's, issue 21).
    await yieldToLoop();
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
    sees,
    head: {
      workspace,
      recipient,
      teams: teamList,
      generatedAt: new Date().toISOString(),
      notes,
      marks,
      ...(boardTlp ? { boardTlp } : {}),
      techniqueNames,
      hunt: await collectHuntHead(ctx.db, workspace.id, teams, sees),
    },
  };
}

/**
 * Reads the indicators, their sightings and comments, and the timeline's events into `sink`, a page at
 * a time with a turn of the event loop between pages, keeping only what `sees` allows (the same test as
 * the head's). SQLite reads are synchronous: 100,000 rows read at once would hold the event loop (every
 * live socket of the node) for a second or more. Answers how many indicators and events passed.
 */
export async function readRows(ctx: AppContext, workspaceId: string, sees: Collected['sees'], sink: RowSink): Promise<{ indicators: number; timelineEvents: number }> {
  let indicators = 0;
  const stopped = () => sink.stopped?.() ?? false;
  await eachPage(
    (before: number | undefined) => indicatorStore.page(ctx.db, workspaceId, before, PAGE),
    PAGE,
    (last) => Number(last.created_seq),
    async (page) => {
      const items = page.filter((r) => sees(markedItem(r)));
      indicators += items.length;
      if (!items.length) return;
      const ids = items.map((r) => r.id);
      // A turn for each read: SQLite answers at once, so awaiting the three in a row was one turn of
      // 30-70 ms CPU where a page's indicators had thousands of sightings (issue 21).
      await yieldToLoop();
      const sightings = await related<SightingRow>(ctx, 'indicator_sightings', ids);
      await yieldToLoop();
      const comments = (await related<CommentRow>(ctx, 'indicator_comments', ids)).filter((c) => sees(markedItem(c)));
      sink.indicators({ items, sightings, comments });
    },
    stopped,
  );
  const timelineEvents = await readTimeline(ctx.db, workspaceId, sees, (rows) => sink.events(rows), stopped);
  return { indicators, timelineEvents };
}

/**
 * Indicators counted per turn by `countRows`. Its rows hold four short columns, not the text, tags and
 * context of a full one: reading a page of 250 full rows was most of the layer export's main-thread time
 * (92% busy for 2.2 s at 100,000 indicators, issue 21).
 */
const COUNT_PAGE = 1_000;

/**
 * How many indicators and timeline events pass `sees`, read as `readRows` reads them (pages newest first,
 * a turn between pages) but with only the columns that decide visibility: for what needs the numbers and
 * not the rows (the export summary, the audit row of the ATT&CK layer's export). Stops early, with what
 * it counted, once `stopped()`.
 */
export async function countRows(
  ctx: AppContext,
  workspaceId: string,
  sees: Collected['sees'],
  stopped: () => boolean = () => false,
): Promise<{ indicators: number; timelineEvents: number }> {
  let indicators = 0;
  await eachPage(
    (before: number | undefined) => indicatorStore.markingPage(ctx.db, workspaceId, before, COUNT_PAGE),
    COUNT_PAGE,
    (last) => Number(last.created_seq),
    (page) => {
      for (const r of page) if (sees(markedItem(r))) indicators++;
    },
    stopped,
  );
  let timelineEvents = 0;
  await eachPage(
    (after: TimelineMarkingRow | undefined) => timelineStore.markingPageAfter(ctx.db, workspaceId, after, COUNT_PAGE),
    COUNT_PAGE,
    (last) => last,
    (page) => {
      for (const r of page) if (sees(markedItem(r))) timelineEvents++;
    },
    stopped,
  );
  return { indicators, timelineEvents };
}

/** The sightings or comments of the indicators `ids` (one page), oldest first, as `allSightings` orders them. */
const related = <R>(ctx: AppContext, table: 'indicator_sightings' | 'indicator_comments', ids: string[]) =>
  ctx.db.all<R>(`SELECT * FROM ${table} WHERE indicator_id IN (${ids.map(() => '?').join(', ')}) ORDER BY created_at, id`, ids);
