/** Who is calling, attached to each request (and socket) by the authentication middleware. */
import type { Account } from '@huntroom/shared';

export interface AuthContext {
  account: Account;
  /** `session`: browser cookie, needs CSRF on state changes; `token`: personal access token. */
  via: 'session' | 'token';
  sessionIdHash?: string;
  /** The personal access token's id, for `via: 'token'`: revoking it ends what it opened. */
  tokenId?: string;
  csrfToken?: string;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Express's own augmentation point.
  namespace Express {
    interface Request {
      auth?: AuthContext;
      requestId: string;
    }
  }
}
