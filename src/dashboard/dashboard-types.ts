// What the dashboard's event stream carries: one snapshot on connect, then a tick a second.
// Shared by the server (the feed) and the page (src/dashboard/web), so both read one contract.

/** `dns`: served read-only by `meridian dns`; `lab`: served by `meridian up`, with the lab's users. */
export type DashboardMode = 'dns' | 'lab';

export interface DashboardServerInfo {
  readonly mode: DashboardMode;
  readonly zone: string;
  readonly worldHash: string;
  /** `open`: drain buttons shown; `token`: shown only once an admin token is given in the page. */
  readonly controls: 'open' | 'token';
  readonly features: {
    /** The admin API answers `POST /v1/regions/:name/drain?preview=1` without draining. */
    readonly drainPreview: boolean;
  };
}

export type HealthLabel = 'up' | 'down' | 'unknown';

export interface RegionView {
  readonly name: string;
  readonly lat: number;
  readonly lon: number;
  readonly isHome: boolean;
  readonly state: HealthLabel;
  readonly drained: boolean;
  readonly serving: boolean;
  /** Wall time (ms) of the last change of state or drain, or null. */
  readonly lastChangeAtMs: number | null;
  /** Why it last changed (probe error, operator drain with its reason, …), or null. */
  readonly reason: string | null;
}

/** One vantage's view of one region (today a single vantage: the GSLB's own monitor). */
export interface MatrixCell {
  readonly vantage: string;
  readonly region: string;
  readonly state: HealthLabel | 'stale';
  readonly sinceMs: number | null;
  readonly reason: string | null;
}

/** A user population: where it is, who serves it, how fast, and how fast it could be. */
export interface LocationView {
  readonly name: string;
  readonly lat: number;
  readonly lon: number;
  /** Requests (lab) per second, or null when the server has no traffic figures (`dns`). */
  readonly rps: number | null;
  /** Region → share of this location's traffic, 0 … 1 (in `dns`: the steering's first answer, 1). */
  readonly servedBy: Readonly<Record<string, number>>;
  /** Median response time (one round trip plus service), or null. */
  readonly p50Ms: number | null;
  /** The round trip to the region serving most of it: the least a response can take there. */
  readonly boundMs: number | null;
  /** The round trip to its nearest candidate region: the least any answer could give it. */
  readonly bestBoundMs: number | null;
  /** Whether the figures are real traffic (`lab`) or the steering's what-if (`dns`). */
  readonly measured: boolean;
}

export type MarkerKind = 'drill' | 'drain' | 'undrain' | 'rollout' | 'config' | 'reload' | 'health';

export interface Marker {
  readonly atMs: number;
  readonly kind: MarkerKind;
  readonly label: string;
}

/** Traffic share per region at one time (sums to 1 over regions; empty when nothing was served). */
export interface SharePoint {
  readonly atMs: number;
  readonly shares: Readonly<Record<string, number>>;
}

/** The state at one time, without history. */
export interface DashboardState {
  readonly server: DashboardServerInfo;
  readonly atMs: number;
  readonly hostnames: readonly string[];
  readonly regions: readonly RegionView[];
  readonly vantages: readonly string[];
  readonly matrix: readonly MatrixCell[];
  readonly locations: readonly LocationView[];
}

/** `event: snapshot`: the state and the kept history. */
export interface DashboardSnapshot extends DashboardState {
  readonly share: readonly SharePoint[];
  readonly markers: readonly Marker[];
}

/** `event: tick`: the state now, the new share point and the markers since the last tick. */
export interface DashboardTick extends DashboardState {
  readonly share: SharePoint | null;
  readonly markers: readonly Marker[];
}
