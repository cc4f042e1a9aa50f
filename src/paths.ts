import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder holding posko's package.json, found upwards from this module: the same answer from
 * src/ under tsx and from the compiled dist/src/, so files shipped beside the code (drizzle/'s
 * migrations) are found either way.
 */
export function packageRoot(from = path.dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'drizzle'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`posko's package folder not found above ${from}`);
  }
}

/** The committed migrations (drizzle-kit's output). */
export const MIGRATIONS_FOLDER = path.join(packageRoot(), 'drizzle');
