/**
 * The hosts dialog's reading of its file, done in hostsWorker.ts. While a new mapping or format of the
 * same content is read, the last reading stays on screen (the mapping step keeps its place and focus)
 * with `reading: true`; the dialog sends nothing until the reading is current. A new input stops the
 * reading of the last one.
 */
import { useEffect, useState } from 'react';
import type { HostCsvField } from '@huntroom/shared';
import type { HostsFormat, HostsReading, HostsWorkerReply } from './hostsWorker.js';

export interface HostsSource {
  content: string;
  format: HostsFormat;
  mapping?: HostCsvField[];
}

interface State {
  for?: HostsSource;
  /** The reading of `for` once done; before that, the last reading of the same content, if any. */
  reading?: HostsReading | string;
  done: boolean;
  progress: { done: number; total: number };
}

const START = { done: 0, total: 0 };

export function useHostsReading(source: HostsSource | undefined): { reading?: HostsReading | string; busy?: { done: number; total: number } } {
  const [state, setState] = useState<State>({ done: false, progress: START });
  useEffect(() => {
    if (!source) return;
    const worker = new Worker(new URL('./hostsWorker.ts', import.meta.url), { type: 'module' });
    const settle = (reading: HostsReading | string) => setState({ for: source, reading, done: true, progress: START });
    worker.onmessage = (e: MessageEvent<HostsWorkerReply>) => {
      const m = e.data;
      if (m.kind === 'progress') return setState((s) => (s.for === source ? { ...s, progress: { done: m.done, total: m.total } } : s));
      worker.terminate();
      settle(m.kind === 'done' ? m.reading : m.message);
    };
    worker.onerror = () => settle('the file could not be read in this browser');
    worker.postMessage(source);
    return () => worker.terminate();
  }, [source]);
  if (!source) return {};
  if (state.for === source && state.done) return { reading: state.reading };
  const last = state.for?.content === source.content && typeof state.reading === 'object' ? state.reading : undefined;
  return { reading: last, busy: state.for === source ? state.progress : START };
}
