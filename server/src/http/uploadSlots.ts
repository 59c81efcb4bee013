/**
 * How many whole-file uploads (body.ts `readUpload`) a node reads at once. Each may hold up to its
 * route's limit in memory (100 MB for an ATT&CK bundle) until it is parsed, so the node-wide count
 * bounds that memory, and the per-account and per-address counts stop one caller from taking every
 * slot: one account gets one upload at a time, one address a few (people behind one proxy).
 */
import type { Response } from 'express';
import { AppError } from './errors.js';

export interface UploadSlotLimits {
  perAccount: number;
  perAddress: number;
  perNode: number;
}

export const DEFAULT_UPLOAD_SLOTS: UploadSlotLimits = { perAccount: 1, perAddress: 2, perNode: 4 };

/** Seconds a refused uploader is told to wait: about the time one large upload takes to finish. */
const RETRY_AFTER_S = 10;

export class UploadSlots {
  private readonly byAccount = new Map<string, number>();
  private readonly byAddress = new Map<string, number>();
  private total = 0;

  constructor(readonly limits: UploadSlotLimits = DEFAULT_UPLOAD_SLOTS) {}

  /** Takes a slot or throws 429 (this caller has enough) / 503 (the node has enough); call the result to give it back. */
  take(accountId: string, address: string, res?: Response): () => void {
    const busy = (code: 'rate_limited' | 'unavailable', message: string) => {
      res?.setHeader('Retry-After', String(RETRY_AFTER_S));
      return new AppError(code, message);
    };
    if ((this.byAccount.get(accountId) ?? 0) >= this.limits.perAccount) throw busy('rate_limited', 'you already have an upload in progress; wait for it to finish');
    if ((this.byAddress.get(address) ?? 0) >= this.limits.perAddress) throw busy('rate_limited', 'too many uploads from your address at once; try again shortly');
    if (this.total >= this.limits.perNode) throw busy('unavailable', 'the server is busy with other uploads; try again shortly');
    const bump = (m: Map<string, number>, k: string, d: number) => {
      const n = (m.get(k) ?? 0) + d;
      if (n > 0) m.set(k, n);
      else m.delete(k);
    };
    bump(this.byAccount, accountId, 1);
    bump(this.byAddress, address, 1);
    this.total++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      bump(this.byAccount, accountId, -1);
      bump(this.byAddress, address, -1);
      this.total--;
    };
  }
}
