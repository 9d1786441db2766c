// `meridian dnssec keygen ZONE` makes an ECDSA P-256 key (CSK by default, or a KSK or ZSK) and
// prints the DS for the parent; `meridian dnssec ds ZONE` prints the DS of every key in a
// directory that signs the DNSKEY RRset (CSK and KSK).
import { type Command, Option } from 'commander';
import { isMeridianError } from '../../core/index.js';
import { dsRecord, formatDs, generateDnssecKey, type KeyRole } from '../../dnssec/index.js';
import { dnskeyLine, readKeyDir, writeKeyFiles } from '../../dnssec/io/index.js';
import type { CliIo } from '../cli-io.js';
import { EXIT_FAILED, EXIT_OK } from '../exit-codes.js';

export const DEFAULT_KEY_DIR = 'dnssec-keys';

export function registerDnssec(program: Command, io: CliIo): void {
  const dnssec = program.command('dnssec').description('DNSSEC keys for the zone: make them, print the DS');
  const fail = (err: unknown) => {
    if (!isMeridianError(err)) throw err;
    io.err(`meridian dnssec: ${err.message}`);
    io.setExitCode(EXIT_FAILED);
  };
  dnssec
    .command('keygen')
    .description('make an ECDSA P-256 (algorithm 13) key and print its DNSKEY and, for a CSK or KSK, the DS')
    .argument('<zone>', 'the zone the key signs, e.g. example.test')
    .addOption(
      new Option('--role <role>', 'csk signs everything; ksk signs the DNSKEY RRset, zsk the rest')
        .choices(['csk', 'ksk', 'zsk'])
        .default('csk'),
    )
    .option('--dir <dir>', 'where to write the key files (the private one with mode 0600)', DEFAULT_KEY_DIR)
    .addHelpText(
      'after',
      '\nFiles: K<zone>.+013+<tag>.key (public DNSKEY) and .private (PKCS#8 PEM); never overwritten.\nGive the DS line to the parent zone. Exit codes: 0 written, 1 could not write, 2 usage error.',
    )
    .action((zone: string, flags: { role: KeyRole; dir: string }) => {
      try {
        const key = generateDnssecKey(flags.role);
        const paths = writeKeyFiles(flags.dir, zone, key);
        io.out(dnskeyLine(zone, key));
        if (key.role !== 'zsk') io.out(formatDs(zone, dsRecord(zone, key)));
        io.err(`wrote ${paths.publicFile} and ${paths.privateFile}`);
        io.setExitCode(EXIT_OK);
      } catch (err) {
        fail(err);
      }
    });
  dnssec
    .command('ds')
    .description('print the DS record of every CSK and KSK in the key directory, for the parent zone')
    .argument('<zone>', 'the zone, e.g. example.test')
    .option('--dir <dir>', 'the key directory', DEFAULT_KEY_DIR)
    .addHelpText('after', '\nExit codes: 0 printed, 1 no key or unreadable key, 2 usage error.')
    .action((zone: string, flags: { dir: string }) => {
      try {
        const keys = readKeyDir(flags.dir).filter((k) => k.role !== 'zsk');
        if (keys.length === 0) {
          io.err(
            `meridian dnssec: no CSK or KSK in ${flags.dir}; make one with \`meridian dnssec keygen ${zone} --dir ${flags.dir}\``,
          );
          io.setExitCode(EXIT_FAILED);
          return;
        }
        for (const k of keys) io.out(formatDs(zone, dsRecord(zone, k)));
        io.setExitCode(EXIT_OK);
      } catch (err) {
        fail(err);
      }
    });
}
