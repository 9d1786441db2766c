// Whether a listen address is reachable only from this machine.

/** True for `localhost`, `::1` and 127.0.0.0/8: addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
