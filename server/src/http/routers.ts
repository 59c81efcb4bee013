/**
 * Every domain's REST router, mounted under /api in this order. A new domain adds one line here.
 */
import type { Router } from 'express';
import type { AppContext } from '../context.js';
import { authRoutes } from '../auth/routes.js';
import { teamRoutes } from '../teams/routes.js';
import { workspaceRoutes } from '../workspaces/routes.js';
import { indicatorRoutes } from '../indicators/routes.js';
import { recordRoutes } from '../records/routes.js';
import { noteRoutes } from '../notes/routes.js';
import { whiteboardRoutes } from '../whiteboards/routes.js';
import { collabRoutes } from '../collab/routes.js';
import { attackRoutes } from '../attack/routes.js';
import { exportRoutes } from '../exports/routes.js';
import { handoffRoutes } from '../handoff/routes.js';
import { authorityRoutes } from '../authority/routes.js';
import { huntRoutes } from '../hunt/routes.js';
import { huntSampleRoutes } from '../hunt/samples/routes.js';
import { huntImportRoutes } from '../hunt/import/routes.js';
import { overviewRoutes } from '../overview/routes.js';
import { federationRoutes } from '../federation/routes.js';

export const DOMAIN_ROUTERS: ((ctx: AppContext) => Router)[] = [
  authRoutes,
  authorityRoutes,
  teamRoutes,
  workspaceRoutes,
  recordRoutes,
  indicatorRoutes,
  huntRoutes,
  noteRoutes,
  whiteboardRoutes,
  collabRoutes,
  attackRoutes,
  exportRoutes,
  handoffRoutes,
  huntSampleRoutes,
  huntImportRoutes,
  overviewRoutes,
  federationRoutes,
];
