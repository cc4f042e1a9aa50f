/** `npm run build`'s last step: the migrated PGlite template of fresh data directories (pglite-template.ts). */
import { buildTemplate, DEFAULT_TEMPLATE_DIR } from './pglite-template.js';

const started = performance.now();
await buildTemplate(DEFAULT_TEMPLATE_DIR);
process.stdout.write(`pglite template: ${DEFAULT_TEMPLATE_DIR} (${Math.round(performance.now() - started)} ms)\n`);
