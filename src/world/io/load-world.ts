// Reads and validates a world file from disk; the one way programs get a World.
import { readFileSync } from 'node:fs';
import { MeridianError } from '../../core/index.js';
import { formatDiagnostic, type LintResult, lintWorldText } from '../lint-world.js';
import type { World } from '../world.js';

/** Reads `path` and lints it; throws MERIDIAN_WORLD_UNREADABLE when the file cannot be read. */
export function lintWorldFile(path: string): LintResult & { text: string } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    throw new MeridianError('MERIDIAN_WORLD_UNREADABLE', `cannot read world file ${path}: ${reason}`, {
      cause: err,
    });
  }
  return { ...lintWorldText(text, path), text };
}

/** Loads a valid world or throws MERIDIAN_WORLD_INVALID listing every error diagnostic. */
export function loadWorld(path: string): World {
  const result = lintWorldFile(path);
  if (!result.world) {
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    throw new MeridianError(
      'MERIDIAN_WORLD_INVALID',
      `world file ${path} is invalid (${errors.length} error${errors.length === 1 ? '' : 's'}):\n${errors.map((d) => `  ${formatDiagnostic(path, d)}`).join('\n')}`,
    );
  }
  return result.world;
}
