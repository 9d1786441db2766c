// Public surface of meridian/fastify: the region runtime as one plugin for an existing service.
export {
  type MeridianFastifyOptions,
  type MeridianRuntime,
  type MeridianSession,
  meridianFastify,
  type SessionVerifier,
} from './io/meridian-fastify.js';
