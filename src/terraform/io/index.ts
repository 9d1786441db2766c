// Public surface of meridian/terraform/io: the module's adapters (disk, network, timers, processes).
export { writeTerraformFiles } from './write-terraform-files.js';
