#!/usr/bin/env -S node --heap-growing-percent=20
// `npx posko …`: the compiled CLI with plain node (`npm run build`; `npm ci` builds on prepare).
// The heap flag keeps V8 near the live heap after a burst (bench/README, B5); NODE_OPTIONS cannot
// carry it, so it rides on the shebang here and on the command line in `npm start` and the image.
try {
  await import('../dist/src/cli.js');
} catch (err) {
  if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !String(err.message).includes('dist/src/cli.js')) throw err;
  process.stderr.write('posko: not built yet: run `npm run build` (or `npm run posko -- …` to run from source)\n');
  process.exitCode = 2;
}
