// The page's model: a snapshot, then each tick folded in (history appended, bounded). Pure, so
// the page's behaviour on the stream is tested without a browser.
import type { DashboardSnapshot, DashboardTick } from './dashboard-types.js';

export type DashboardModel = DashboardSnapshot;

/** Share points and markers a page keeps (ten minutes a second; enough markers for it). */
export const PAGE_MAX_SHARE_POINTS = 600;
export const PAGE_MAX_MARKERS = 300;

/** The model after one stream event; unknown events leave it as it was. */
export function applyDashboardEvent(
  model: DashboardModel | null,
  event: string,
  data: unknown,
): DashboardModel | null {
  if (event === 'snapshot') return data as DashboardSnapshot;
  if (event !== 'tick' || !model) return model;
  const t = data as DashboardTick;
  const share = t.share ? [...model.share, t.share].slice(-PAGE_MAX_SHARE_POINTS) : model.share;
  const markers =
    t.markers.length > 0 ? [...model.markers, ...t.markers].slice(-PAGE_MAX_MARKERS) : model.markers;
  return { ...t, share, markers };
}
