// meridian/dnssec/io: DNSSEC key files on disk.
export {
  dnskeyLine,
  type KeyFilePaths,
  keyFileBase,
  readKeyDir,
  readKeyFile,
  writeKeyFiles,
} from './key-files.js';
