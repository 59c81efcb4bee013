/** The workspace's members, kept live from member:added / member:updated / member:removed. */
import { useEffect } from 'react';
import type { Member } from '@huntroom/shared';
import { get } from '../../lib/api.js';
import { getSocket } from '../../lib/realtime.js';
import { useAsync } from '../../lib/useAsync.js';

export function useMembers(workspaceId: string) {
  const state = useAsync(() => get<{ members: Member[] }>(`/api/workspaces/${workspaceId}/members`).then((r) => r.members), [workspaceId]);
  const { setData } = state;
  useEffect(() => {
    const socket = getSocket();
    const upsert = (e: { workspaceId: string; member: Member }) => {
      if (e.workspaceId !== workspaceId) return;
      setData((old = []) => [...old.filter((m) => m.accountId !== e.member.accountId), e.member]);
    };
    const removed = (e: { workspaceId: string; accountId: string }) => {
      if (e.workspaceId === workspaceId) setData((old = []) => old.filter((m) => m.accountId !== e.accountId));
    };
    socket.on('member:added', upsert);
    socket.on('member:updated', upsert);
    socket.on('member:removed', removed);
    return () => {
      socket.off('member:added', upsert);
      socket.off('member:updated', upsert);
      socket.off('member:removed', removed);
    };
  }, [workspaceId, setData]);
  return state;
}

export const sortMembers = (members: Member[]) =>
  [...members].sort((a, b) => a.team.code.localeCompare(b.team.code) || a.username.localeCompare(b.username));
