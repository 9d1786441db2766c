// Writes an export to a directory: creates folders, replaces only the files it generates.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { MeridianError } from '../../core/index.js';
import type { TerraformFile } from '../terraform-files.js';

/** Writes every file under `dir`; throws MERIDIAN_TERRAFORM_WRITE_FAILED with the path that failed. */
export function writeTerraformFiles(dir: string, files: readonly TerraformFile[]): string[] {
  const written: string[] = [];
  for (const f of files) {
    const path = join(dir, ...f.path.split('/'));
    try {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, f.text);
    } catch (err) {
      throw new MeridianError(
        'MERIDIAN_TERRAFORM_WRITE_FAILED',
        `cannot write ${path}: ${(err as Error).message}`,
        {
          cause: err,
        },
      );
    }
    written.push(path);
  }
  return written;
}
