// Reads and validates a world file from disk; the one way programs get a World.
import { MeridianError } from '../../core/index.js';
import type { Diagnostic } from '../diagnostic.js';
import { formatDiagnostic, type LintOptions, type LintResult, lintWorldText } from '../lint-world.js';
import type { World } from '../world.js';
import { type ReadWorldFileOptions, readWorldFile } from './read-world-file.js';

export type LoadWorldOptions = ReadWorldFileOptions & LintOptions;

/**
 * Reads `path` (see `readWorldFile`: a regular file within the size limit) and lints it; throws
 * MERIDIAN_WORLD_UNREADABLE, _NOT_A_FILE or _TOO_LARGE when it cannot be read.
 */
export function lintWorldFile(path: string, options: LoadWorldOptions = {}): LintResult & { text: string } {
  const text = readWorldFile(path, options);
  return { ...lintWorldText(text, path, options), text };
}

/** Loads a valid world or throws MERIDIAN_WORLD_INVALID listing every error diagnostic. */
export function loadWorld(path: string, options: LoadWorldOptions = {}): World {
  const result = lintWorldFile(path, options);
  if (!result.world) throw invalidWorld(path, result.diagnostics);
  return result.world;
}

/**
 * MERIDIAN_WORLD_INVALID: the first line counts the errors, each next line is one of them (the
 * first `maxListed`, then how many more).
 */
export function invalidWorld(
  path: string,
  diagnostics: readonly Diagnostic[],
  maxListed = Number.POSITIVE_INFINITY,
): MeridianError {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const lines = errors.slice(0, maxListed).map((d) => `  ${formatDiagnostic(path, d)}`);
  if (errors.length > lines.length)
    lines.push(`  … and ${errors.length - lines.length} more; \`meridian lint ${path}\` lists every one`);
  return new MeridianError(
    'MERIDIAN_WORLD_INVALID',
    `world file ${path} is invalid (${errors.length} error${errors.length === 1 ? '' : 's'}):\n${lines.join('\n')}`,
  );
}
