import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import * as z from 'zod';
import { App } from './app/App.js';
import './app/styles.css';
// Before any lazy chunk: Excalidraw registers its fonts when its module loads (see assetPath.ts).
import './features/whiteboards/assetPath.js';
import { registerServiceWorker } from './sw/register.js';

// The CSP forbids eval; tell zod not to probe for it (it would log a CSP violation).
z.config({ jitless: true });

// The offline shell: a reload without network opens the app (src/sw/sw.js).
registerServiceWorker();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
