/**
 * The worker file of the pool (pool.ts): every task a worker thread can run, by name. Each task lives
 * in its own domain's folder; this file only gathers them, so one kind of worker serves them all.
 */
export { exportTask } from '../exports/worker.js';
export { trialTask } from '../collab/trialWorker.js';
export { loadTask, compactTask, catchUpTask, missingTask } from '../collab/loadWorker.js';
export { attackImportTask, layerImportTask } from '../attack/importTasks.js';
export { attackNamesTask } from '../attack/namesTask.js';
export { importParseTask } from '../indicators/import/task.js';
export { huntImportTask } from '../hunt/import/task.js';
export { statePiecesTask } from '../federation/documents/pieces.js';

export type TaskName =
  | 'exportTask'
  | 'trialTask'
  | 'loadTask'
  | 'compactTask'
  | 'catchUpTask'
  | 'missingTask'
  | 'attackImportTask'
  | 'attackNamesTask'
  | 'layerImportTask'
  | 'importParseTask'
  | 'huntImportTask'
  | 'statePiecesTask';
