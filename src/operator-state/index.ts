// Public surface of meridian/operator-state: operators' drains, rollouts and notes, and their rules.
export {
  checkDrainFloor,
  type DrainFloorRegion,
  type DrainFloorRule,
  type DrainFloorVerdict,
  type DrainRequest,
} from './drain-floor.js';
export type { OperatorAction, OperatorRecord } from './operator-record.js';
export {
  changeOf,
  type DrainMark,
  type DrainsValue,
  EMPTY_OPERATOR_STATE,
  type NoteValue,
  OPERATOR_KEYS,
  type OperatorEntry,
  type OperatorState,
  parseDrains,
  RECENT_KEPT,
  type RolloutOverride,
  type RolloutValue,
  reduceOperatorState,
  type WorldValue,
} from './operator-state.js';
export { fleetSerial, nextSerial, serialAdd, serialGreater } from './soa-serial.js';
