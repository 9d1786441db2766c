// Public surface of meridian/lab: the building blocks of `meridian up` — latency links,
// simulated users, statistics, the live view, drills, reports and the process supervisor.

export { DelayLine } from './delay-line.js';
export {
  type DrillActionsOptions,
  type DrillControlPlane,
  type DrillProcesses,
  drillActions,
} from './drill-actions.js';
export {
  type DrillEvent,
  type DrillSpec,
  describeDrillEvent,
  drillLengthMs,
  parseDurationMs,
  parseRolloutSteps,
  planDrill,
  type TimelineEntry,
} from './drill-plan.js';
export { buildDrillReport, type DrillReport, type DrillReportInput } from './drill-report.js';
export { type DrillActions, type DrillLogEntry, DrillScheduler } from './drill-scheduler.js';
export { decodeGslbAnswer, encodeGslbQuery, type GslbAnswer } from './gslb-query.js';
export {
  ConfigSourceGate,
  type ConfigSourceGateOptions,
  type ConfigSourceMode,
} from './io/config-source-gate.js';
export { type DrillCommandIo, registerDrill } from './io/drill-command.js';
export { GslbAdminClient, type GslbAdminClientOptions } from './io/gslb-admin-client.js';
export { GslbResolver, type GslbResolverOptions, type Resolution } from './io/gslb-resolver.js';
export { type DrillReply, postDrill, readLabState } from './io/lab-control-client.js';
export {
  DEFAULT_LAB_STATE_FILE,
  type LabControlHandlers,
  LabControlServer,
  type LabControlServerOptions,
  type LabState,
} from './io/lab-control-server.js';
export { LabLinks, type StartedLink } from './io/lab-links.js';
export { type LabPrograms, LabWorld, type LabWorldOptions } from './io/lab-world.js';
export { type JourneyContext, type Route, runLinksJourney } from './io/links-journey.js';
export { LiveViewDriver, type LiveViewDriverOptions } from './io/live-view-driver.js';
export {
  isolatedLabOptions,
  LAB_PARTNER_ID,
  MERIDIAN_BIN,
  type MeridianUp,
  type MeridianUpOptions,
  startMeridianUp,
  writeSingleRegionWorld,
} from './io/meridian-up.js';
export {
  type ChildSpec,
  type ChildStatus,
  ProcessSupervisor,
  type ProcessSupervisorOptions,
} from './io/process-supervisor.js';
export { RegionBacklogPoller } from './io/region-backlog-poller.js';
export {
  type GslbAnswerSample,
  type SampleGslbAnswersOptions,
  sampleGslbAnswers,
} from './io/sample-gslb-answers.js';
export { TcpLatencyLink, type TcpLatencyLinkOptions } from './io/tcp-latency-link.js';
export { UdpLatencyLink, type UdpLatencyLinkOptions } from './io/udp-latency-link.js';
export { registerUp } from './io/up-command.js';
export { type PopulationCounts, UserPopulation, type UserPopulationOptions } from './io/user-population.js';
export { DEFAULT_REPORT_DIR, writeDrillReport } from './io/write-drill-report.js';
export { LabMetrics } from './lab-metrics.js';
export {
  accessRttMs,
  cloudRegionAt,
  formatLabRtts,
  type LabRtt,
  type LabRtts,
  type RttSource,
  resolveLabRtts,
} from './lab-rtts.js';
export { LAB_WORKLOADS, type LabWorkload, type LabWorkloadName, labWorkloadOf } from './lab-workload.js';
export { LatencyHistogram } from './latency-histogram.js';
export { type LinkPlanOptions, type PlannedLink, planLatencyLinks } from './latency-link-plan.js';
export {
  type LiveViewState,
  type LocationRow,
  locationRows,
  type RegionHealthLabel,
  type RegionRow,
  renderLiveView,
  renderLiveViewLine,
} from './live-view.js';
export { type OptimumInput, type OptimumSecond, optimumSeries } from './optimum-share.js';
export { parseDrillCommand } from './parse-drill-command.js';
export { type RegionRowsInput, regionRows } from './region-rows.js';
export { renderDrillReportHtml } from './render-drill-report-html.js';
export type { JourneyStep, RequestRecord } from './request-record.js';
export { type CachedAnswer, ResolverCache } from './resolver-cache.js';
export { orderForReply, type ResolverOrder } from './rrset-order.js';
export { type LocationSecond, StatsAggregator, type StatsAggregatorOptions } from './stats-aggregator.js';
export { redrawInPlace } from './terminal-frame.js';
export { USER_SOURCE_PREFIX, userSourceAddress } from './user-source-address.js';
export { diffWorlds, isEmptyDiff, type WorldDiff } from './world-diff.js';
