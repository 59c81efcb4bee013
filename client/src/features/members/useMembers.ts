/**
 * The workspace's members, kept live from member:added / member:updated / member:removed, and
 * reloaded after a reconnect: events sent while the link was down are not replayed for members.
 */
import { useEffect } from 'react';
import type { Member } from '@huntroom/shared';
import { get } from '../../lib/api.js';
import { getSocket } from '../../lib/realtime.js';
import { useAsync } from '../../lib/useAsync.js';

export function useMembers(workspaceId: string) {
  const state = useAsync(() => get<{ members: Member[] }>(`/api/workspaces/${workspaceId}/members`).then((r) => r.members), [workspaceId]);
  const { setData, reload } = state;
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
    // The first connect is covered by the initial load; every later one may have missed events.
    let connectedBefore = socket.connected;
    const reconnected = () => {
      if (connectedBefore) reload();
      connectedBefore = true;
    };
    socket.on('connect', reconnected);
    return () => {
      socket.off('connect', reconnected);
      socket.off('member:added', upsert);
      socket.off('member:updated', upsert);
      socket.off('member:removed', removed);
    };
  }, [workspaceId, setData, reload]);
  return state;
}

export const sortMembers = (members: Member[]) => [...members].sort((a, b) => a.team.code.localeCompare(b.team.code) || a.username.localeCompare(b.username));
