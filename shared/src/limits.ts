/**
 * Every size limit that both the server enforces and the client checks before sending lives here,
 * so the two cannot drift (Outline keeps its equivalents in shared/validations.ts).
 */
export const LIMITS = {
  usernameMin: 2,
  usernameMax: 64,
  displayNameMax: 120,
  // argon2id hashes whatever it is given; a cap stops a 1 MB "password" from costing a hash of 1 MB.
  passwordMin: 10,
  passwordMax: 256,
  teamCodeMax: 12,
  teamNameMax: 120,
  workspaceNameMax: 200,
  workspaceDescriptionMax: 5_000,
  tokenNameMax: 120,
  inviteMaxUses: 1_000,
  inviteMaxHours: 24 * 90,
  // JSON request bodies; bulk imports have their own routes and limits.
  jsonBodyBytes: 1_000_000,
  // Whole files uploaded as JSON (an ATT&CK STIX bundle: enterprise is 33 MB).
  fileUploadBytes: 100_000_000,
  // An ATT&CK Navigator layer: every enterprise technique with a comment each stays far below this.
  layerUploadBytes: 5_000_000,
  // An indicator import (POST .../indicators/import): three times a 100,000-indicator report (~10 MB).
  indicatorImportBytes: 32_000_000,
  noteTitleMax: 200,
  versionNameMax: 200,
  // One y-websocket frame (the ws maxPayload). A pasted 100,000-IOC report is about 10 MB of text,
  // which the editor sends as several updates; 2 MiB keeps one frame's parse cost bounded.
  collabMaxFrameBytes: 2 * 1024 * 1024,
  // A document past this refuses further updates (close code 4413); the 3.4 MB benchmark note fits.
  collabMaxDocumentBytes: 32 * 1024 * 1024,
} as const;
