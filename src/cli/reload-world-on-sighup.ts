// SIGHUP for `meridian region` and `meridian home`: read and lint the world file again and let
// the running process adopt it (see `worldChangeForRegion`). What happened is said on stderr;
// an unreadable or invalid file never stops the process.
import { loadWorld, type World, type WorldAdoption } from '../world/index.js';
import type { CliIo } from './cli-io.js';

/** Installs the SIGHUP handler; returns the function that removes it. */
export function reloadWorldOnSighup(
  file: string,
  label: string,
  adopt: (next: World) => WorldAdoption,
  io: CliIo,
): () => void {
  const onHup = () => {
    let next: World;
    try {
      next = loadWorld(file);
    } catch (err) {
      io.err(`${label}: world reload ignored, the running world stays: ${(err as Error).message}`);
      return;
    }
    const outcome = adopt(next);
    io.err(
      outcome.adopted
        ? `${label}: world reloaded (${next.hash.slice(0, 12)})`
        : `${label}: the running world stays; adopting ${file} needs a restart for ${outcome.restartNeeded.join(', ')}`,
    );
  };
  process.on('SIGHUP', onHup);
  return () => process.off('SIGHUP', onHup);
}
