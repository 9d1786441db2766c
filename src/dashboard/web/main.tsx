// The dashboard page: one stream of state (GET /v1/events), drawn as a map, the health
// matrix, traffic share with the timeline, latency against its bound, the "where is this
// client sent, and why?" box and, with the right to, drain and undrain with a preview.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { applyDashboardEvent, type DashboardModel } from '../apply-dashboard-event.js';
import type { LocationView, MatrixCell, RegionView } from '../dashboard-types.js';
import { adminGet, adminPost, hasToken, setToken } from './admin-fetch.js';
import { openEventStream, type StreamStatus } from './event-stream.js';
import { MARKER_COLOURS, ShareChart } from './share-chart.js';
import './styles.css';
import { regionColour, WorldMap } from './world-map.js';

const time = (ms: number | null): string => (ms === null ? '–' : new Date(ms).toLocaleTimeString());
const msText = (v: number | null): string =>
  v === null ? '–' : `${v < 10 ? v.toFixed(1) : Math.round(v)} ms`;

function App() {
  const [model, setModel] = useState<DashboardModel | null>(null);
  const [status, setStatus] = useState<{ s: StreamStatus; detail?: string }>({ s: 'connecting' });
  const [generation, setGeneration] = useState(0);
  const [tokenGiven, setTokenGiven] = useState(hasToken());

  useEffect(() => {
    let m: DashboardModel | null = null;
    return openEventStream('../v1/events', {
      onEvent: (event, data) => {
        m = applyDashboardEvent(m, event, data);
        setModel(m);
      },
      onStatus: (s, detail) => setStatus(detail === undefined ? { s } : { s, detail }),
    });
  }, [generation]);

  const useToken = (t: string) => {
    setToken(t);
    setTokenGiven(hasToken());
    setGeneration((g) => g + 1);
  };
  const canAct = model !== null && (model.server.controls === 'open' || tokenGiven);

  return (
    <main>
      <header>
        <h1>Meridian</h1>
        <span class="zone" data-testid="zone">
          {model
            ? `${model.server.zone} · ${model.server.mode === 'lab' ? 'meridian up' : 'meridian dns'}`
            : ''}
        </span>
        <span class={`status ${status.s}`} data-testid="stream-status">
          {status.s}
          {status.detail ? `: ${status.detail}` : ''}
        </span>
        <span class="updated" data-testid="updated-at">
          {model ? `updated ${time(model.atMs)}` : ''}
        </span>
        {model?.server.controls !== 'open' || status.s === 'unauthorized' ? (
          <TokenForm given={tokenGiven} onToken={useToken} needed={status.s === 'unauthorized'} />
        ) : null}
      </header>
      {model ? (
        <div class="grid">
          <section class="panel wide">
            <h2>Who is served where</h2>
            <WorldMap regions={model.regions} locations={model.locations} />
            <p class="note">
              {model.locations.some((l) => l.measured)
                ? 'Lines: requests of each user population to each region, as wide as the traffic.'
                : 'Lines: the region the steering sends each network to now (this server counts no traffic per place).'}
            </p>
          </section>
          <section class="panel">
            <h2>Health: vantages × regions</h2>
            <Matrix regions={model.regions} vantages={model.vantages} cells={model.matrix} />
            <Regions model={model} canAct={canAct} />
          </section>
          <section class="panel">
            <h2>Where is this client sent, and why?</h2>
            <ExplainBox hostnames={model.hostnames} locations={model.locations} />
          </section>
          <section class="panel wide">
            <h2>Traffic share per region, and what happened</h2>
            <ShareChart
              regions={model.regions.map((r) => r.name)}
              share={model.share}
              markers={model.markers}
            />
            <Timeline model={model} />
          </section>
          <section class="panel wide">
            <h2>Latency per location, next to its physical bound</h2>
            <Latency locations={model.locations} />
          </section>
        </div>
      ) : (
        <p class="waiting">waiting for the first state…</p>
      )}
    </main>
  );
}

function TokenForm(props: { given: boolean; needed: boolean; onToken: (t: string) => void }) {
  const [text, setText] = useState('');
  if (props.given) {
    return (
      <button type="button" class="token" onClick={() => props.onToken('')}>
        forget token
      </button>
    );
  }
  return (
    <form
      class={`token ${props.needed ? 'needed' : ''}`}
      onSubmit={(e) => {
        e.preventDefault();
        props.onToken(text);
        setText('');
      }}
    >
      <input
        type="password"
        autocomplete="off"
        placeholder={props.needed ? 'admin token (required)' : 'admin token (to drain)'}
        value={text}
        onInput={(e) => setText((e.target as HTMLInputElement).value)}
        data-testid="token-input"
      />
      <button type="submit">use</button>
    </form>
  );
}

function Matrix(props: {
  regions: readonly RegionView[];
  vantages: readonly string[];
  cells: readonly MatrixCell[];
}) {
  return (
    <table class="matrix" data-testid="health-matrix">
      <thead>
        <tr>
          <th>vantage</th>
          {props.regions.map((r) => (
            <th key={r.name}>{r.name}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.vantages.map((v) => (
          <tr key={v}>
            <th>{v}</th>
            {props.regions.map((r) => {
              const c = props.cells.find((x) => x.vantage === v && x.region === r.name);
              const state = c?.state ?? 'unknown';
              return (
                <td
                  key={r.name}
                  class={`cell ${state}`}
                  data-testid={`matrix-cell-${v}-${r.name}`}
                  data-state={state}
                >
                  <b>{state}</b>
                  <small>since {time(c?.sinceMs ?? null)}</small>
                  {c?.reason ? <small class="reason">{c.reason}</small> : null}
                </td>
              );
            })}
          </tr>
        ))}
        <tr class="verdict">
          <th>serving</th>
          {props.regions.map((r) => (
            <td
              key={r.name}
              data-testid={`region-state-${r.name}`}
              data-state={r.drained ? 'drained' : r.state}
              style={{ color: regionColour(r) }}
            >
              <b>{r.drained ? 'drained' : r.serving ? 'serving' : r.state}</b>
              <small>changed {time(r.lastChangeAtMs)}</small>
              {r.reason ? <small class="reason">{r.reason}</small> : null}
            </td>
          ))}
        </tr>
      </tbody>
    </table>
  );
}

interface Preview {
  region: string;
  body: Record<string, unknown>;
}

function Regions(props: { model: DashboardModel; canAct: boolean }) {
  const [preview, setPreview] = useState<Preview | null>(null);
  const [message, setMessage] = useState('');
  if (!props.canAct) {
    return (
      <p class="note" data-testid="read-only">
        Read-only. Give the admin token above to drain or undrain.
      </p>
    );
  }
  const act = async (region: string, action: 'drain' | 'undrain') => {
    const r = await adminPost(`../v1/regions/${encodeURIComponent(region)}/${action}`, {
      reason: 'from the dashboard',
    });
    const body = (r.body ?? {}) as { error?: string };
    setMessage(
      r.status < 300
        ? `${region}: ${action} done`
        : `${region}: ${action} refused (${r.status}) ${body.error ?? ''}`,
    );
    setPreview(null);
  };
  const drain = async (region: string) => {
    if (props.model.server.features.drainPreview) {
      const r = await adminPost(`../v1/regions/${encodeURIComponent(region)}/drain?preview=1`, {});
      setPreview({ region, body: (r.body ?? {}) as Record<string, unknown> });
      return;
    }
    if (window.confirm(`Drain ${region}? No new answer will name it until it is undrained.`))
      await act(region, 'drain');
  };
  return (
    <div class="controls">
      <ul>
        {props.model.regions.map((r) => (
          <li key={r.name}>
            <span class="dot" style={{ background: regionColour(r) }} />
            {r.name}
            {r.drained ? (
              <button
                type="button"
                onClick={() => void act(r.name, 'undrain')}
                data-testid={`undrain-${r.name}`}
              >
                undrain
              </button>
            ) : (
              <button type="button" onClick={() => void drain(r.name)} data-testid={`drain-${r.name}`}>
                drain…
              </button>
            )}
          </li>
        ))}
      </ul>
      {preview ? (
        <PreviewBox
          preview={preview}
          onDrain={() => void act(preview.region, 'drain')}
          onCancel={() => setPreview(null)}
        />
      ) : null}
      {message ? (
        <p class="note" data-testid="control-message">
          {message}
        </p>
      ) : null}
    </div>
  );
}

function PreviewBox(props: { preview: Preview; onDrain: () => void; onCancel: () => void }) {
  const b = props.preview.body;
  const floor = (b.floor ?? {}) as { ok?: boolean; reason?: string };
  const changes = (Array.isArray(b.changes) ? b.changes : []) as {
    network: string;
    hostname: string;
    before: { regions: string[] };
    after: { regions: string[] };
    extraLatencyMs: number | null;
  }[];
  return (
    <div class="preview" data-testid="drain-preview">
      <h3>
        Draining {props.preview.region} would change {changes.length} answer(s)
      </h3>
      <p>
        {floor.ok === false ? `Refused by the floor: ${floor.reason ?? ''}` : 'The serving floor allows it.'}{' '}
        {typeof b.lastOldAnswerExpiresInSeconds === 'number'
          ? `Last cached old answer gone ${b.lastOldAnswerExpiresInSeconds} s after the drain.`
          : ''}
      </p>
      <ul>
        {changes.slice(0, 12).map((c) => (
          <li key={`${c.network}-${c.hostname}`}>
            {c.network} · {c.hostname}: {c.before.regions.join(', ') || 'none'} →{' '}
            {c.after.regions.join(', ') || 'none'}
            {c.extraLatencyMs !== null ? ` (+${Math.round(c.extraLatencyMs)} ms)` : ''}
          </li>
        ))}
      </ul>
      <button type="button" onClick={props.onDrain} disabled={floor.ok === false} data-testid="preview-drain">
        drain
      </button>
      <button type="button" onClick={props.onCancel} data-testid="preview-cancel">
        cancel
      </button>
    </div>
  );
}

function Timeline(props: { model: DashboardModel }) {
  const markers = [...props.model.markers].reverse().slice(0, 40);
  return (
    <ol class="timeline" data-testid="timeline">
      {markers.length === 0 ? <li class="note">nothing happened yet</li> : null}
      {markers.map((m, i) => (
        <li key={`${m.atMs}-${i}`} data-kind={m.kind}>
          <time>{time(m.atMs)}</time>
          <span class="kind" style={{ background: MARKER_COLOURS[m.kind] }}>
            {m.kind}
          </span>
          {m.label}
        </li>
      ))}
    </ol>
  );
}

function Latency(props: { locations: readonly LocationView[] }) {
  const measured = props.locations.filter((l) => l.measured);
  if (measured.length === 0) {
    return (
      <p class="note" data-testid="latency-none">
        No user traffic here: `meridian up` measures its simulated users; a lone `meridian dns` counts
        answers, not round trips.
      </p>
    );
  }
  const max = Math.max(1, ...measured.flatMap((l) => [l.p50Ms ?? 0, l.boundMs ?? 0]));
  return (
    <table class="latency" data-testid="latency">
      <thead>
        <tr>
          <th>location</th>
          <th>req/s</th>
          <th>served by</th>
          <th>p50 response</th>
          <th>bound (round trip to it)</th>
          <th>best region's round trip</th>
        </tr>
      </thead>
      <tbody>
        {measured.map((l) => (
          <tr key={l.name} data-testid={`latency-${l.name}`}>
            <td>{l.name}</td>
            <td>{(l.rps ?? 0).toFixed(1)}</td>
            <td>
              {Object.entries(l.servedBy)
                .sort((a, b) => b[1] - a[1])
                .map(([r, s]) => `${r} ${Math.round(s * 100)}%`)
                .join(', ')}
            </td>
            <td>
              <span class="bar p50" style={{ width: `${((l.p50Ms ?? 0) / max) * 100}px` }} />
              {msText(l.p50Ms)}
            </td>
            <td>
              <span class="bar bound" style={{ width: `${((l.boundMs ?? 0) / max) * 100}px` }} />
              {msText(l.boundMs)}
            </td>
            <td>{msText(l.bestBoundMs)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ExplainBox(props: { hostnames: readonly string[]; locations: readonly LocationView[] }) {
  const [client, setClient] = useState(props.locations[0]?.name ?? '');
  const [name, setName] = useState(props.hostnames[0] ?? '');
  const [answer, setAnswer] = useState<{
    source: string;
    body: Record<string, unknown>;
    status: number;
  } | null>(null);
  const ask = async () => {
    const q = `client=${encodeURIComponent(client)}&name=${encodeURIComponent(name)}`;
    // The decision log (actual recent answers) when the server keeps one, else the what-if.
    const decisions = await adminGet(`../v1/decisions?${q}`);
    // no answer counted yet for that client (or the log is off): fall back to the what-if
    const counted = (decisions.body as { answers?: unknown[] } | null)?.answers;
    const empty = decisions.status === 200 && Array.isArray(counted) && counted.length === 0;
    const off = (decisions.body as { code?: unknown } | null)?.code === 'MERIDIAN_GSLB_DECISION_LOG_OFF';
    if (!empty && !off && (decisions.status !== 404 || !isRouteMissing(decisions.body))) {
      setAnswer({
        source: 'decision log',
        body: (decisions.body ?? {}) as Record<string, unknown>,
        status: decisions.status,
      });
      return;
    }
    const explain = await adminGet(`../v1/explain?${q}`);
    setAnswer({
      source: 'explain (what-if under the live health)',
      body: (explain.body ?? {}) as Record<string, unknown>,
      status: explain.status,
    });
  };
  return (
    <div class="explain">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void ask();
        }}
      >
        <input
          value={client}
          onInput={(e) => setClient((e.target as HTMLInputElement).value)}
          placeholder="IP, CIDR or network name"
          data-testid="explain-client"
        />
        <select
          value={name}
          onChange={(e) => setName((e.target as HTMLSelectElement).value)}
          data-testid="explain-name"
        >
          {props.hostnames.map((h) => (
            <option key={h} value={h}>
              {h}
            </option>
          ))}
        </select>
        <button type="submit" data-testid="explain-ask">
          ask
        </button>
      </form>
      {answer ? <ExplainAnswer {...answer} /> : null}
    </div>
  );
}

function isRouteMissing(body: unknown): boolean {
  const message = String((body as { message?: unknown } | null)?.message ?? '');
  return /^Route .* not found$/.test(message);
}

function ExplainAnswer(props: { source: string; body: Record<string, unknown>; status: number }) {
  const b = props.body;
  if (props.status >= 300) {
    return (
      <p class="error" data-testid="explain-answer">
        {String(b.error ?? `HTTP ${props.status}`)}
      </p>
    );
  }
  const regions = Array.isArray(b.regions) ? (b.regions as string[]) : null;
  const stages = (Array.isArray(b.stages) ? b.stages : []) as {
    stage?: string;
    input?: string[];
    output?: string[];
    notes?: string[];
  }[];
  const answers = (Array.isArray(b.answers) ? b.answers : []) as {
    regions?: string[];
    count?: number;
    reasons?: string[];
    lastSeen?: string;
  }[];
  return (
    <div data-testid="explain-answer" class="answer">
      <p class="source">from the {props.source}</p>
      {regions ? (
        <p class="sent">
          Sent to <b data-testid="explain-regions">{regions.join(', ') || 'nobody'}</b>
          {Array.isArray(b.addresses) ? ` (${(b.addresses as string[]).join(', ')})` : ''}
          {typeof b.locatedAs === 'string' ? `; located as ${b.locatedAs}` : ''}
          {b.allDown === true ? '; every candidate is down (whenAllDown)' : ''}
        </p>
      ) : null}
      {answers.length > 0 ? (
        <ul class="answers" data-testid="decision-answers">
          {answers.map((a, i) => (
            <li key={i}>
              {(a.regions ?? []).join(', ') || 'nobody'} × {a.count ?? 0}
              {a.reasons && a.reasons.length > 0 ? <small> ({a.reasons.join('; ')})</small> : null}
              {a.lastSeen ? <small> last {a.lastSeen}</small> : null}
            </li>
          ))}
        </ul>
      ) : null}
      {stages.length > 0 ? (
        <ol class="stages">
          {stages.map((s, i) => (
            <li key={i}>
              <b>{s.stage ?? `stage ${i + 1}`}</b> {(s.input ?? []).join(', ') || '∅'} →{' '}
              {(s.output ?? []).join(', ') || '∅'}
              {s.notes && s.notes.length > 0 ? <small> ({s.notes.join('; ')})</small> : null}
            </li>
          ))}
        </ol>
      ) : null}
      {!regions ? <pre>{JSON.stringify(b, null, 2).slice(0, 3000)}</pre> : null}
    </div>
  );
}

render(<App />, document.getElementById('app')!);
