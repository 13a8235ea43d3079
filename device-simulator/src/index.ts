/**
 * The device simulator: a virtual fleet with corrosion physics, injected faults and ground truth.
 * Run it with `npm run simulate -- --scenario smoke ...`, or from a test with `runSimulation()`.
 */
export { runSimulation, type SimulationOptions, type SimulationSummary } from './run/run-simulation.js';
export { SimulationError } from './errors.js';
export { Pacer, systemClock, type Speed, type WallClock } from './run/pacer.js';
export { silentProgress, type ProgressSink, type ProgressState } from './run/progress.js';
export {
  ScenarioSchema,
  ScenarioError,
  parseScenario,
  type Scenario,
  type ScenarioInput,
} from './scenario/scenario-schema.js';
export { listScenarios, loadScenario, scenarioDirectory, type ScenarioOverrides } from './scenario/load-scenario.js';
export {
  Simulation,
  type CustomerFaultReport,
  type FaultOutcome,
  type SimEvent,
  type SimulationSetup,
} from './core/simulation.js';
export { generateFleet, type Fleet, type SimAsset, type SimDevice } from './core/fleet.js';
export { planFaults, type FaultParams, type PlannedFault } from './core/fault-plan.js';
export {
  ASSET_FAULT_KINDS,
  FAULT_KINDS,
  SENSOR_FAULT_KINDS,
  type AssetFaultKind,
  type FaultKind,
  type SensorFaultKind,
} from './core/fault-kinds.js';
export { BAD_PAYLOAD_KINDS, type BadPayloadKind } from './core/bad-payloads.js';
export { groundTruth, toJsonLines, type TruthRecord } from './core/ground-truth.js';
export {
  type CustomerReporter,
  type CustomerReportAnswer,
  type CustomerReportOutcome,
  type ReporterContext,
  GroundTruthOnlyReporter,
} from './transport/customer-reporter.js';
export { HttpCustomerReporter, type HttpCustomerReporterOptions } from './transport/http-customer-reporter.js';
export { CUSTOMER_CATEGORY, CUSTOMER_PRIORITY } from './core/customer-report.js';
export type { CustomerReportStatus } from './core/ground-truth.js';
export { ApiRequestError, HttpFleetApi, type FleetApi } from './transport/fleet-api-client.js';
