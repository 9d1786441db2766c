// Public surface of meridian/operator-state: operators' drains, rollouts and notes, and their rules.
export {
  checkDrainFloor,
  type DrainFloorRegion,
  type DrainFloorRule,
  type DrainFloorVerdict,
  type DrainRequest,
} from './drain-floor.js';
export type { OperatorAction, OperatorRecord } from './operator-record.js';
export { fleetSerial, nextSerial, serialAdd, serialGreater } from './soa-serial.js';
