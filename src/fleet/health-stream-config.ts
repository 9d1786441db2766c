// The JetStream stream that holds one fleet's health observations: its subjects and its bounds.
import type { StreamConfig } from '@nats-io/jetstream';
import type { FleetSubjects } from './fleet-subjects.js';

/** How long and how much the stream keeps. */
export interface HealthStreamLimits {
  /** Copies across the NATS cluster (3 survives one node down; 1 on a single server). */
  readonly replicas: number;
  /** Observations older than this are dropped. */
  readonly maxAgeMs: number;
  /** At most this many observations are kept per (vantage, region) subject; the oldest go first. */
  readonly maxMsgsPerSubject: number;
}

/**
 * The defaults: 15 minutes and 100 observations per subject. A consumer only needs the latest
 * observation per subject (it starts from the last one of each); the rest is history for an
 * operator (`nats stream view`). 100 per subject bounds the stream at 50 regions × 10 vantages
 * to 50 000 messages (about 10 MB) whatever the probe interval.
 */
export const DEFAULT_HEALTH_STREAM_LIMITS: Omit<HealthStreamLimits, 'replicas'> = Object.freeze({
  maxAgeMs: 15 * 60_000,
  maxMsgsPerSubject: 100,
});

const NANOS_PER_MS = 1_000_000;

/** The stream configuration for a fleet (limits retention, file storage, old messages discarded). */
export function healthStreamConfig(
  subjects: FleetSubjects,
  limits: HealthStreamLimits,
): Partial<StreamConfig> & Pick<StreamConfig, 'name' | 'subjects'> {
  return {
    name: subjects.stream,
    description: `meridian fleet "${subjects.fleet}": every vantage's health observations of every region`,
    subjects: [subjects.all],
    retention: 'limits',
    storage: 'file',
    discard: 'old',
    max_age: limits.maxAgeMs * NANOS_PER_MS,
    max_msgs_per_subject: limits.maxMsgsPerSubject,
    num_replicas: limits.replicas,
    // probers publish each observation once and never retry, so no de-duplication is needed
    duplicate_window: 1000 * NANOS_PER_MS,
  };
}
