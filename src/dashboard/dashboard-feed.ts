// The dashboard's server-side state: each sample of the GSLB (and of the lab's users) becomes a
// tick; changes between samples become timeline markers; history is kept bounded. Pure: time
// comes from the samples.
import type {
  DashboardServerInfo,
  DashboardSnapshot,
  DashboardTick,
  HealthLabel,
  LocationView,
  Marker,
  MatrixCell,
  RegionView,
  SharePoint,
} from './dashboard-types.js';

export interface Place {
  readonly name: string;
  readonly lat: number;
  readonly lon: number;
}

/** One region as the GSLB's health table has it (`GET /v1/state` `regions[]`). */
export interface RegionHealthSample {
  readonly name: string;
  readonly state: HealthLabel;
  readonly drained: boolean;
  readonly serving: boolean;
  readonly lastChangeAtMs: number | null;
  readonly lastError: string | null;
}

/** The fleet's vantage × region views, when the GSLB has them. */
export interface MatrixSample {
  readonly vantages: readonly string[];
  readonly regions: readonly {
    readonly region: string;
    readonly views: readonly {
      readonly vantage: string;
      readonly ok: boolean | null;
      readonly reason: string | null;
      readonly observedAtMs: number | null;
      readonly fresh: boolean;
    }[];
  }[];
}

/** A user population's last seconds, from the lab. */
export interface LocationSample {
  readonly name: string;
  readonly rps: number;
  /** Requests per region in the window. */
  readonly byRegion: Readonly<Record<string, number>>;
  readonly p50Ms: number | null;
  readonly boundMs: number | null;
  readonly bestBoundMs: number | null;
}

/** An operator action the GSLB recorded (who and why), when it keeps such records. */
export interface OperatorRecordSample {
  readonly action: string;
  readonly target: string;
  readonly who?: string | null;
  readonly reason?: string | null;
  readonly atMs: number;
}

export interface FeedSample {
  readonly atMs: number;
  readonly zone: string;
  readonly worldHash: string;
  readonly regions: readonly (Place & { readonly isHome: boolean })[];
  readonly networks: readonly Place[];
  readonly hostnames: readonly string[];
  readonly health: readonly RegionHealthSample[];
  readonly matrix?: MatrixSample | null;
  /** Answers so far per region (cumulative): the share is taken from the difference. */
  readonly answers?: Readonly<Record<string, number>> | null;
  /** The lab's users: real traffic per location (then the share comes from it). */
  readonly locations?: readonly LocationSample[] | null;
  /** Without traffic figures: the region each network is sent to first (the steering's what-if). */
  readonly steering?: readonly { readonly network: string; readonly region: string | null }[] | null;
  /** Each hostname's rollout as text (`eu-west-2 5%`), or null: a change is a marker. */
  readonly rollouts: readonly { readonly hostname: string; readonly text: string | null }[];
  readonly reloads: { readonly ok: number; readonly failed: number; readonly lastError: string | null };
  readonly operatorRecords?: readonly OperatorRecordSample[] | null;
  /** The admin API answers drain `?preview=1` without draining (see `offersDrainPreview`). */
  readonly drainPreview?: boolean;
  /** Every drill event so far (the feed marks the new ones). */
  readonly drills?: readonly { readonly atMs: number; readonly label: string }[] | null;
}

export interface DashboardFeedOptions {
  readonly server: Omit<DashboardServerInfo, 'zone' | 'worldHash' | 'features'> & {
    readonly features?: Partial<DashboardServerInfo['features']>;
  };
  /** Share points kept (default 600: ten minutes a second). */
  readonly maxSharePoints?: number;
  /** Markers kept (default 300). */
  readonly maxMarkers?: number;
  /** The vantage name of the GSLB's own monitor (default `monitor`). */
  readonly monitorVantage?: string;
}

const DEFAULT_MAX_SHARE_POINTS = 600;
const DEFAULT_MAX_MARKERS = 300;

/** Turns samples into ticks; `snapshot()` is what a newly connected page gets. */
export class DashboardFeed {
  readonly #o: DashboardFeedOptions;
  readonly #share: SharePoint[] = [];
  readonly #markers: Marker[] = [];
  #last: DashboardTick | null = null;
  #prev: FeedSample | null = null;
  /** Per region, the last change and its reason as the feed saw it. */
  readonly #changes = new Map<string, { atMs: number | null; reason: string | null }>();

  constructor(options: DashboardFeedOptions) {
    this.#o = options;
  }

  /** The state and history a page starts from; null before the first sample. */
  snapshot(): DashboardSnapshot | null {
    if (!this.#last) return null;
    return { ...this.#last, share: [...this.#share], markers: [...this.#markers] };
  }

  /** Takes one sample; returns the tick to send to every page. */
  observe(s: FeedSample): DashboardTick {
    const prev = this.#prev;
    // drills made before the first sample (a dashboard started late) are history all the same
    const markers = prev
      ? this.#diff(prev, s)
      : (s.drills ?? []).map((d): Marker => ({ atMs: d.atMs, kind: 'drill', label: d.label }));
    if (!prev) {
      for (const h of s.health) {
        this.#changes.set(h.name, { atMs: h.lastChangeAtMs, reason: reasonOf(h, s) });
      }
    }
    for (const m of markers) this.#markers.push(m);
    trim(this.#markers, this.#o.maxMarkers ?? DEFAULT_MAX_MARKERS);
    const share = this.#sharePoint(prev, s);
    if (share) {
      this.#share.push(share);
      trim(this.#share, this.#o.maxSharePoints ?? DEFAULT_MAX_SHARE_POINTS);
    }
    const tick: DashboardTick = {
      server: this.#serverInfo(s),
      atMs: s.atMs,
      hostnames: [...s.hostnames],
      regions: this.#regions(s),
      ...this.#matrix(s),
      locations: locationsOf(s),
      share,
      markers,
    };
    this.#prev = s;
    this.#last = tick;
    return tick;
  }

  #serverInfo(s: FeedSample): DashboardServerInfo {
    const o = this.#o.server;
    return {
      mode: o.mode,
      controls: o.controls,
      zone: s.zone,
      worldHash: s.worldHash,
      features: { drainPreview: s.drainPreview ?? o.features?.drainPreview ?? false },
    };
  }

  #regions(s: FeedSample): RegionView[] {
    return s.regions.map((r) => {
      const h = s.health.find((x) => x.name === r.name);
      const change = this.#changes.get(r.name);
      return {
        name: r.name,
        lat: r.lat,
        lon: r.lon,
        isHome: r.isHome,
        state: h?.state ?? 'unknown',
        drained: h?.drained ?? false,
        serving: h?.serving ?? false,
        lastChangeAtMs: change?.atMs ?? h?.lastChangeAtMs ?? null,
        reason: change?.reason ?? null,
      };
    });
  }

  #matrix(s: FeedSample): { vantages: string[]; matrix: MatrixCell[] } {
    if (s.matrix && s.matrix.vantages.length > 0) {
      const cells: MatrixCell[] = [];
      for (const r of s.matrix.regions) {
        for (const v of r.views) {
          cells.push({
            vantage: v.vantage,
            region: r.region,
            state: !v.fresh ? 'stale' : v.ok === null ? 'unknown' : v.ok ? 'up' : 'down',
            sinceMs: v.observedAtMs,
            reason: v.reason,
          });
        }
      }
      return { vantages: [...s.matrix.vantages], matrix: cells };
    }
    const vantage = this.#o.monitorVantage ?? 'monitor';
    return {
      vantages: [vantage],
      matrix: s.health.map((h) => ({
        vantage,
        region: h.name,
        state: h.state,
        sinceMs: h.lastChangeAtMs,
        reason: h.state === 'down' ? h.lastError : null,
      })),
    };
  }

  #diff(prev: FeedSample, s: FeedSample): Marker[] {
    const out: Marker[] = [];
    const at = s.atMs;
    if (prev.worldHash !== s.worldHash) {
      out.push({ atMs: at, kind: 'config', label: `config ${s.worldHash.slice(0, 12)}` });
    }
    if (s.reloads.ok > prev.reloads.ok) {
      out.push({ atMs: at, kind: 'reload', label: `reload ok (${s.reloads.ok})` });
    }
    if (s.reloads.failed > prev.reloads.failed) {
      out.push({
        atMs: at,
        kind: 'reload',
        label: `reload failed: ${(s.reloads.lastError ?? '').split('\n')[0]}`.slice(0, 160),
      });
    }
    for (const r of s.rollouts) {
      const before = prev.rollouts.find((x) => x.hostname === r.hostname)?.text ?? null;
      if (before !== r.text) {
        out.push({ atMs: at, kind: 'rollout', label: `${r.hostname}: ${r.text ?? 'no rollout'}` });
      }
    }
    for (const h of s.health) {
      const p = prev.health.find((x) => x.name === h.name);
      if (!p) continue;
      if (p.drained !== h.drained) {
        const why = operatorReason(s, h.drained ? 'drain' : 'undrain', h.name);
        const reason = `${h.drained ? 'drained' : 'undrained'} by the operator${why ? `: ${why}` : ''}`;
        this.#changes.set(h.name, { atMs: at, reason });
        out.push({
          atMs: at,
          kind: h.drained ? 'drain' : 'undrain',
          label: `${h.name} ${reason}`,
        });
      }
      if (p.state !== h.state) {
        const reason = h.state === 'down' ? (h.lastError ?? 'probes failed') : `probes ${h.state}`;
        const changedAt = h.lastChangeAtMs ?? at;
        this.#changes.set(h.name, { atMs: changedAt, reason });
        out.push({ atMs: changedAt, kind: 'health', label: `${h.name} ${p.state} → ${h.state}: ${reason}` });
      }
    }
    const before = prev.drills?.length ?? 0;
    for (const d of (s.drills ?? []).slice(before)) out.push({ atMs: d.atMs, kind: 'drill', label: d.label });
    return out;
  }

  #sharePoint(prev: FeedSample | null, s: FeedSample): SharePoint | null {
    const counts: Record<string, number> = {};
    if (s.locations) {
      for (const l of s.locations) {
        for (const [region, n] of Object.entries(l.byRegion)) counts[region] = (counts[region] ?? 0) + n;
      }
    } else if (s.answers) {
      if (!prev?.answers) return null; // a difference needs two samples
      for (const [region, n] of Object.entries(s.answers)) {
        const d = n - (prev.answers[region] ?? 0);
        if (d > 0) counts[region] = d;
      }
    } else {
      return null;
    }
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    const shares: Record<string, number> = {};
    if (total > 0) for (const [r, n] of Object.entries(counts)) shares[r] = n / total;
    return { atMs: s.atMs, shares };
  }
}

function reasonOf(h: RegionHealthSample, s: FeedSample): string | null {
  if (h.drained) {
    const why = operatorReason(s, 'drain', h.name);
    return `drained by the operator${why ? `: ${why}` : ''}`;
  }
  if (h.state === 'down') return h.lastError ?? 'probes failed';
  if (h.state === 'up' && h.lastChangeAtMs !== null) return 'probes up';
  return null;
}

function operatorReason(s: FeedSample, action: string, target: string): string | null {
  const records = s.operatorRecords ?? [];
  for (let i = records.length - 1; i >= 0; i--) {
    const r = records[i]!;
    if (r.action === action && r.target === target) {
      return [r.reason, r.who ? `by ${r.who}` : null].filter(Boolean).join(' ') || null;
    }
  }
  return null;
}

function locationsOf(s: FeedSample): LocationView[] {
  const places = new Map(s.networks.map((n) => [n.name, n]));
  if (s.locations) {
    return s.locations.flatMap((l) => {
      const p = places.get(l.name);
      if (!p) return [];
      const total = Object.values(l.byRegion).reduce((a, b) => a + b, 0);
      const servedBy: Record<string, number> = {};
      if (total > 0) for (const [r, n] of Object.entries(l.byRegion)) servedBy[r] = n / total;
      return [
        {
          name: l.name,
          lat: p.lat,
          lon: p.lon,
          rps: l.rps,
          servedBy,
          p50Ms: l.p50Ms,
          boundMs: l.boundMs,
          bestBoundMs: l.bestBoundMs,
          measured: true,
        },
      ];
    });
  }
  const steering = new Map((s.steering ?? []).map((x) => [x.network, x.region]));
  return s.networks.map((n) => {
    const region = steering.get(n.name) ?? null;
    return {
      name: n.name,
      lat: n.lat,
      lon: n.lon,
      rps: null,
      servedBy: region ? { [region]: 1 } : {},
      p50Ms: null,
      boundMs: null,
      bestBoundMs: null,
      measured: false,
    };
  });
}

function trim<T>(a: T[], max: number): void {
  if (a.length > max) a.splice(0, a.length - max);
}
