// Public surface of meridian/operator-state/io: the fleet's operator state in JetStream KV.
export {
  OPERATOR_STATE_EVENTS,
  type OperatorHistoryEntry,
  OperatorStateStore,
  type OperatorStateStoreOptions,
  type OperatorStoreStatus,
  operatorBucketName,
} from './operator-state-store.js';
