// Public surface of meridian/terraform: the world as a Terraform configuration for AWS.
// Adapters (disk, network, timers, processes) are in meridian/terraform/io, so that importing this loads none.
export { type HclNode, type HclValue, renderHcl } from './render-hcl.js';
export { awsRegionOf } from './root-module.js';
export { route53Weights, type WeightPair } from './route53-weights.js';
export {
  type DnsMode,
  type TerraformExport,
  type TerraformExportOptions,
  type TerraformFile,
  terraformFiles,
  terraformTree,
} from './terraform-files.js';
export { terraformName } from './terraform-name.js';
