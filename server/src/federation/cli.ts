/**
 * `npm run cli -- federation ...`: the operator's side of links (docs/federation.md section 9).
 * Offers and acceptance come with the shared workspaces; the commands here are the ones two operators
 * need to set up, inspect, suspend, rotate and remove a link.
 */
import { parseArgs } from 'node:util';
import type { Db } from '../storage/db.js';
import { addLink, ensureIdentity, FederationError, removeLink, rotateIdentityKey, rotateLinkKey, setLinkState } from './links.js';
import { federationStore, type Link } from './store.js';
import { acceptOffer, offerWorkspace, shareStore } from './shares.js';
import { withdrawShare } from './withdraw.js';

const str = (v: string | boolean | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

export const FEDERATION_USAGE = `  federation identity [--name us-cert] [--url https://huntroom.example.org]
  federation identity rotate   (a new key pair; each peer then installs it with link rotate)
  federation link add --name <peer> --url <peer URL> --teams <codes> --key <peer key>
  federation link list [--json]
  federation link suspend|resume|remove --name <peer>
  federation link rotate --name <peer> --key <peer's new key>
  federation offer --workspace <id> --link <peer> [--role hunter|observer]
  federation accept --offer <id> --link <peer> [--members alice,bob]
  federation withdraw --workspace <id> --link <peer>
  federation shares [--json]`;

const publicView = (l: Link) => ({
  name: l.name,
  url: l.url,
  teams: l.teams,
  state: l.state,
  publicKey: l.publicKey,
  updatedAt: l.updatedAt,
  lastConnectedAt: l.lastConnectedAt,
  lastError: l.lastError,
});

/** One line per link; the last connection or failure as the running server recorded it. */
function describe(l: Link): string {
  const seen = l.lastError ? `last error: ${l.lastError}` : l.lastConnectedAt ? `connected ${l.lastConnectedAt}` : 'never connected';
  return `${l.name.padEnd(20)} ${l.state.padEnd(9)} ${l.teams.join(',').padEnd(12)} ${l.url}  (${seen})`;
}

/** Runs one federation command; throws FederationError with a sentence for the operator. */
export async function runFederationCommand(db: Db, argv: string[], env: { publicUrl?: string | undefined }): Promise<string> {
  const [first, second, ...rest] = argv;
  // `link <verb>` and `identity rotate` are two-word commands; the rest one word.
  const twoWords = first === 'link' || (first === 'identity' && second === 'rotate');
  const words = twoWords ? `${first} ${second ?? ''}`.trim() : (first ?? '');
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: twoWords ? rest : argv.slice(1),
      options: {
        name: { type: 'string' },
        url: { type: 'string' },
        teams: { type: 'string' },
        key: { type: 'string' },
        json: { type: 'boolean' },
        workspace: { type: 'string' },
        link: { type: 'string' },
        role: { type: 'string' },
        offer: { type: 'string' },
        members: { type: 'string' },
      },
      strict: true,
    }).values;
  } catch (err) {
    throw new FederationError(`${(err as Error).message}\n${FEDERATION_USAGE}`);
  }
  switch (words) {
    case 'identity rotate': {
      const given = Object.keys(values).filter((k) => values[k] !== undefined);
      if (given.length) throw new FederationError(`identity rotate takes no options (got --${given.join(', --')}); the name and URL stay`);
      const i = await rotateIdentityKey(db);
      return JSON.stringify({ name: i.name, url: i.url, publicKey: i.publicKey });
    }
    case 'identity': {
      const i = await ensureIdentity(db, { name: values.name as string | undefined, url: values.url as string | undefined, publicUrl: env.publicUrl });
      return JSON.stringify({ name: i.name, url: i.url, publicKey: i.publicKey });
    }
    case 'link add': {
      const l = await addLink(db, { name: values.name, url: values.url, teams: values.teams, key: values.key });
      return `link ${l.name} added (${l.url}, speaks for ${l.teams.join(', ')}); it works once ${l.name}'s operator has added this instance too`;
    }
    case 'link list': {
      const links = await federationStore.links(db);
      if (values.json === true) return JSON.stringify(links.map(publicView));
      return links.map(describe).join('\n') || '(no links)';
    }
    case 'link suspend':
    case 'link resume': {
      const { link, changed } = await setLinkState(db, values.name, second === 'suspend' ? 'suspended' : 'active');
      return changed ? `link ${link.name} ${link.state === 'active' ? 'resumed' : 'suspended'}` : `link ${link.name} already was ${link.state}`;
    }
    case 'link rotate': {
      const l = await rotateLinkKey(db, values.name, values.key);
      return `link ${l.name} now expects the key ${l.publicKey}`;
    }
    case 'link remove': {
      const l = await removeLink(db, values.name);
      return `link ${l.name} removed`;
    }
    case 'offer': {
      // The running server sends the offer from the outbox (this process has no link socket).
      const share = await offerWorkspace(db, undefined, { workspaceId: str(values.workspace), link: str(values.link), role: str(values.role) });
      return share.offerId;
    }
    case 'accept': {
      const members = str(values.members)?.split(',');
      const share = await acceptOffer(db, undefined, { offerId: str(values.offer), link: str(values.link), members });
      return `workspace ${share.workspaceName} (${share.workspaceId}) shared with ${share.link}; members here: ${share.members.join(', ')} as ${share.role}`;
    }
    case 'withdraw': {
      // Either side: the running server sends the withdrawal and, holding a replica, drops it.
      const share = await withdrawShare(undefined, db, { workspaceId: str(values.workspace), link: str(values.link) });
      return `workspace ${share.workspaceName} (${share.workspaceId}) is no longer shared with ${share.link}`;
    }
    case 'shares': {
      const shares = await shareStore.list(db);
      if (values.json === true) return JSON.stringify(shares);
      return (
        shares
          .map((s) => `${s.offerId}  ${s.state.padEnd(9)} ${s.home === 'here' ? 'to  ' : 'from'} ${s.link.padEnd(16)} ${s.workspaceName} (${s.workspaceId}) max role ${s.role}`)
          .join('\n') || '(no shared workspaces)'
      );
    }
    default:
      throw new FederationError(`unknown command "federation ${words}"\n${FEDERATION_USAGE}`);
  }
}
