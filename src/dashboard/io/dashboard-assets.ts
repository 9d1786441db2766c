// The page's files, built by vite into dist/dashboard/web (npm run build), read once into
// memory (gzipped too) and served by name only: nothing outside the build is reachable.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/** Where `npm run build` puts the page (the same from src/ under tsx and from dist/). */
export const DASHBOARD_ASSETS_DIR = fileURLToPath(new URL('../../../dist/dashboard/web/', import.meta.url));

export interface DashboardAsset {
  readonly body: Buffer;
  readonly gzip: Buffer | null;
  readonly contentType: string;
  /** Hashed file names never change: cache them; index.html always revalidates. */
  readonly immutable: boolean;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** Every file of the built page by its path under the dashboard (`index.html`, `assets/x.js`); null when not built. */
export function loadDashboardAssets(dir = DASHBOARD_ASSETS_DIR): Map<string, DashboardAsset> | null {
  if (!existsSync(join(dir, 'index.html'))) return null;
  const out = new Map<string, DashboardAsset>();
  const walk = (d: string, depth: number): void => {
    if (depth > 4) return;
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) {
        walk(path, depth + 1);
        continue;
      }
      const body = readFileSync(path);
      const type = TYPES[extname(name)] ?? 'application/octet-stream';
      const compressible = !type.startsWith('image/png');
      const key = relative(dir, path).split(sep).join('/');
      out.set(key, {
        body,
        gzip: compressible && body.length > 1024 ? gzipSync(body) : null,
        contentType: type,
        immutable: key.startsWith('assets/'),
      });
    }
  };
  walk(dir, 0);
  return out;
}
