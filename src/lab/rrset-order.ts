// The order in which a lab resolver hands a cached RRset to its users: as the name server sent
// it (`keep`), or rotated by a random offset on every reply (`rotate`), as unbound does by
// default (`rrset-roundrobin: yes` since 1.17) and as many public resolvers do. Behind a rotating
// resolver, `answers: 2` sends about half of the users to the second region.

export type ResolverOrder = 'keep' | 'rotate';

/**
 * The addresses a user gets: `addresses` itself for `keep`, else the list rotated to start at
 * `floor(random × length)` (a new array; the cached one is never changed).
 */
export function orderForReply(
  addresses: readonly string[],
  order: ResolverOrder,
  random: () => number,
): readonly string[] {
  if (order === 'keep' || addresses.length < 2) return addresses;
  const start = Math.min(addresses.length - 1, Math.floor(random() * addresses.length));
  if (start === 0) return addresses;
  return [...addresses.slice(start), ...addresses.slice(0, start)];
}
