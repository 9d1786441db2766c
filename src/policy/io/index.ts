// Public surface of meridian/policy/io: the GeoIP database reader (a file, maxmind).
export { openGeoIpDatabase } from './open-geoip-database.js';
