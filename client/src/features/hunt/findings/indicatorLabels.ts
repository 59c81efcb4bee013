/**
 * The labels (`type:value`) of indicators a finding links, for its edit form's chips: read from the
 * board's REST detail route one by one (a finding links few); one the team no longer sees, or that
 * was deleted, is named so rather than left out, so unlinking it stays possible.
 */
import { useEffect, useState } from 'react';
import type { IndicatorView } from '@huntroom/shared';
import { get } from '../../../lib/api.js';
import type { Picked } from './IndicatorPicker.js';

export function useIndicatorLabels(workspaceId: string, ids: readonly string[]): Picked[] | undefined {
  const [picked, setPicked] = useState<Picked[]>();
  const key = ids.join(',');
  useEffect(() => {
    let live = true;
    void Promise.all(
      key
        .split(',')
        .filter(Boolean)
        .map((id) =>
          get<{ indicator: IndicatorView }>(`/api/workspaces/${workspaceId}/indicators/${encodeURIComponent(id)}`).then(
            (r): Picked => ({ id, label: `${r.indicator.type}:${r.indicator.value}` }),
            (): Picked => ({ id, label: 'an indicator you cannot see' }),
          ),
        ),
    ).then((list) => live && setPicked(list));
    return () => {
      live = false;
    };
  }, [workspaceId, key]);
  return picked;
}
