// Creates a fleet's health stream when it does not exist yet; finds it when it does.
import { JetStreamApiError, jetstreamManager, type StreamConfig, type StreamInfo } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';

/** The error code a single (non-clustered) server gives for `num_replicas` above 1. */
const REPLICAS_NOT_SUPPORTED = 10074;
/** Another prober or consumer created the stream between our look and our create. */
const STREAM_NAME_IN_USE = 10058;
const STREAM_NOT_FOUND = 10059;

/**
 * Returns the stream's info, creating it from `config` when it is absent. An existing stream is
 * used as it is (its limits may have been tuned by an operator). On a single server a replicated
 * config is created with one replica instead. Throws what NATS throws otherwise (the caller
 * retries: NATS may be electing a leader).
 */
export async function ensureHealthStream(
  nc: NatsConnection,
  config: Partial<StreamConfig> & Pick<StreamConfig, 'name'>,
): Promise<StreamInfo> {
  const jsm = await jetstreamManager(nc, { timeout: 5000 });
  try {
    return await jsm.streams.info(config.name);
  } catch (err) {
    if (!(err instanceof JetStreamApiError) || err.code !== STREAM_NOT_FOUND) throw err;
  }
  try {
    return await jsm.streams.add(config);
  } catch (err) {
    if (err instanceof JetStreamApiError && err.code === STREAM_NAME_IN_USE)
      return jsm.streams.info(config.name);
    if (
      err instanceof JetStreamApiError &&
      err.code === REPLICAS_NOT_SUPPORTED &&
      (config.num_replicas ?? 1) > 1
    ) {
      return jsm.streams.add({ ...config, num_replicas: 1 });
    }
    throw err;
  }
}
