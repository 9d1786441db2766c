// Opens a MaxMind GeoIP2/GeoLite2 City database (`.mmdb`) as a GeoLookup. None is shipped.
import maxmind, { type CityResponse } from 'maxmind';
import { MeridianError } from '../../core/index.js';
import type { GeoLookup } from '../client-locator.js';

/** Reads the database at `path`; throws MERIDIAN_POLICY_GEOIP_UNREADABLE when it cannot. */
export async function openGeoIpDatabase(path: string): Promise<GeoLookup> {
  let reader: Awaited<ReturnType<typeof maxmind.open<CityResponse>>>;
  try {
    reader = await maxmind.open<CityResponse>(path, { cache: { max: 10_000 } });
  } catch (err) {
    throw new MeridianError(
      'MERIDIAN_POLICY_GEOIP_UNREADABLE',
      `cannot open GeoIP database ${path}: ${(err as Error).message}; give a MaxMind City .mmdb file`,
      { cause: err },
    );
  }
  return {
    lookup(family, bytes) {
      const ip = family === 4 ? `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}` : formatV6(bytes);
      const [record, prefixLength] = reader.getWithPrefixLength(ip);
      const loc = record?.location;
      if (!loc || typeof loc.latitude !== 'number' || typeof loc.longitude !== 'number') return null;
      return { location: { lat: loc.latitude, lon: loc.longitude }, prefixLength };
    },
  };
}

function formatV6(b: Uint8Array): string {
  const parts: string[] = [];
  for (let i = 0; i < 16; i += 2) parts.push((((b[i] ?? 0) << 8) | (b[i + 1] ?? 0)).toString(16));
  return parts.join(':');
}
