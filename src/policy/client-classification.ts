// What steering needs to know about the client of one query: its location class, the ECS scope its
// answer may carry, and its side of the hostname's rollout. Filled in place, once per query.
import type { LocatedClient } from './client-locator.js';

/**
 * The reused struct `SteeringSnapshot.classify` fills: one per answer path, overwritten by every
 * query, so classifying a client allocates nothing.
 */
export class ClientClassification implements LocatedClient {
  /** Index into the locator's classes (0: unknown, or a hostname whose answers do not depend on it). */
  classId = 0;
  /** ECS scope prefix length to echo (0 when the answer does not depend on the client). */
  scope = 0;
  /** The client's side of the hostname's rollout (true: it may get the rollout region). */
  inRollout = false;
}
