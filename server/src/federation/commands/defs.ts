/** The command definitions a peer may ask this instance to run, by type (the keys of targets.ts' TARGETS). */
import type { CommandDef } from '../../records/command.js';
import { deleteIndicator, updateIndicator } from '../../indicators/changes.js';
import { bulkDeleteIndicators, bulkUpdateIndicators } from '../../indicators/bulk.js';
import { addComment, addSighting } from '../../indicators/service.js';
import { remarkComment } from '../../indicators/commentMarking.js';
import { deleteNetwork, updateNetwork } from '../../hunt/networks/commands.js';
import { deleteHost, updateHost } from '../../hunt/hosts/commands.js';
import { deleteFinding, updateFinding } from '../../hunt/findings/commands.js';
import { deleteTimelineEvent, updateTimelineEvent } from '../../hunt/timeline/commands.js';
import { deleteSample } from '../../hunt/samples/commands.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each def's own schema checks the payload.
type AnyDef = CommandDef<any, unknown>;

const defs: AnyDef[] = [
  updateIndicator,
  deleteIndicator,
  bulkUpdateIndicators,
  bulkDeleteIndicators,
  addSighting,
  addComment,
  remarkComment,
  updateNetwork,
  deleteNetwork,
  updateHost,
  deleteHost,
  updateFinding,
  deleteFinding,
  updateTimelineEvent,
  deleteTimelineEvent,
  deleteSample,
];

export const COMMAND_DEFS: Readonly<Record<string, AnyDef>> = Object.fromEntries(defs.map((d) => [d.type, d]));
