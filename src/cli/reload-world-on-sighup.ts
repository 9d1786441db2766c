// SIGHUP for `meridian region` and `meridian home`: read and lint the world file again, in a
// worker thread so that requests keep being served meanwhile, and let the running process adopt
// it (see `worldChangeForRegion`). What happened is said on stderr; an unreadable or invalid file
// never stops the process. Reloads run one at a time, in the order the signals came.
import type { World, WorldAdoption } from '../world/index.js';
import { loadWorldInWorker } from '../world/io/index.js';
import type { CliIo } from './cli-io.js';

/** How many errors of an invalid world the message lists (`meridian lint` lists all). */
const ERRORS_LISTED = 20;

/** Installs the SIGHUP handler; returns the function that removes it. */
export function reloadWorldOnSighup(
  file: string,
  label: string,
  adopt: (next: World) => WorldAdoption,
  io: CliIo,
): () => void {
  let chain: Promise<void> = Promise.resolve();
  const reload = async () => {
    let next: World;
    try {
      next = await loadWorldInWorker(file, { maxErrorsListed: ERRORS_LISTED });
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
  const onHup = () => {
    chain = chain.then(reload, reload);
  };
  process.on('SIGHUP', onHup);
  return () => process.off('SIGHUP', onHup);
}
