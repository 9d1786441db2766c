// The seam where health enters steering: anything that publishes health tables.
import type { HealthTable } from './health-table.js';

/**
 * A source of health tables: the GSLB's own `HealthMonitor` (meridian/monitor) now, the fleet's
 * `FleetHealthConsumer` (meridian/fleet) next. `table()` is the latest table (a field read);
 * `onChange` calls `listener` with every new one and returns the unsubscribe function. A source
 * publishes tables of the world it was last given (`setWorld`): steering pairs them with that
 * world and never with another (`tableMatchesWorld`).
 */
export interface HealthSource {
  table(): HealthTable;
  onChange(listener: (table: HealthTable) => void): () => void;
}
