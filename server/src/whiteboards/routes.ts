/**
 * REST: /api/workspaces/:id/whiteboards. A whiteboard is a titled Yjs document of kind 'whiteboard'
 * (Excalidraw elements in a Y.Map, see client/src/features/whiteboards/binding.ts); its content goes
 * through the document server like a note's, so observers' writes are dropped there.
 */
import type { Router } from 'express';
import type { AppContext } from '../context.js';
import { titledDocumentRoutes } from '../documents/routes.js';
import { titledDocuments } from '../documents/service.js';

export const whiteboards = titledDocuments('whiteboard');

export const whiteboardRoutes = (ctx: AppContext): Router => titledDocumentRoutes(ctx, whiteboards, 'whiteboards');
