/**
 * Malware samples on findings (issue 18, item 4): the limits both sides check, and the wire shape.
 * The server keeps a sample only inside a ZipCrypto ZIP with the password `infected`, the convention of
 * MISP and the malware-sharing community, so no antivirus quarantines it and no one runs it by a click.
 */
import type { TeamRef } from '../records/indicators.js';

export const SAMPLE_LIMITS = {
  /** Largest sample accepted, in bytes (the 64 MB). */
  maxBytes: 64 * 1024 * 1024,
  /** Longest file name kept (the name inside the ZIP). */
  filenameMax: 200,
  /** The ZIP's password, as MISP, MalwareBazaar and VirusTotal's community write it. */
  zipPassword: 'infected',
} as const;

/** The hashes the server computed over the exact bytes uploaded. */
export interface SampleHashes {
  md5: string;
  sha1: string;
  sha256: string;
  size: number;
}

export interface SampleView extends SampleHashes {
  id: string;
  workspaceId: string;
  findingId: string;
  filename: string;
  /** Size of the stored ZIP, as the download sends it. */
  zipSize: number;
  uploadedBy: string;
  team: TeamRef;
  createdAt: string;
}

/**
 * An indicator the upload offers: one item of `POST …/indicators/bulk` (or the socket's
 * `indicator:bulk_create`), with the finding's marking, for the person to commit or leave.
 */
export interface SuggestedIndicator {
  type: 'md5' | 'sha1' | 'sha256';
  value: string;
  tlp: string;
  releasableTo: string[];
  source: string;
}

/** What `POST …/findings/:findingId/samples` answers. */
export interface SampleUploaded extends SampleView {
  suggestedIndicators: SuggestedIndicator[];
  seq: number;
}
