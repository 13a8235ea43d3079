#!/usr/bin/env node
/**
 * `npm run simulate -- --scenario smoke --token ... [--dry-run]`: runs a scenario against the gateway.
 * Human-readable lines first; the last line on stdout is the summary as one JSON object.
 */
import { parseCliArgs, usage } from './cli-args.js';
import { listScenarios } from './scenario/load-scenario.js';
import { ScenarioError } from './scenario/scenario-schema.js';
import { ApiRequestError } from './transport/fleet-api-client.js';
import { SimulationError } from './errors.js';
import { runSimulation, type SimulationSummary } from './run/run-simulation.js';
import { TerminalProgress } from './run/terminal-progress.js';

async function main(): Promise<number> {
  const parsed = parseCliArgs(process.argv.slice(2), process.env);
  if (!parsed.ok) {
    for (const line of parsed.errors) process.stderr.write(`simulate: ${line}\n`);
    process.stderr.write('simulate: see --help\n');
    return 2;
  }
  const o = parsed.options;
  if (o.help) {
    process.stdout.write(`${usage()}\n`);
    return 0;
  }
  if (o.listScenarios) {
    process.stdout.write(`${(await listScenarios()).join('\n')}\n`);
    return 0;
  }

  const abort = new AbortController();
  const onSignal = () => {
    if (abort.signal.aborted) process.exit(130);
    process.stderr.write('simulate: stopping (Ctrl-C again to quit at once)\n');
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const summary = await runSimulation({
    scenario: o.scenario,
    overrides: o.overrides,
    apiUrl: o.apiUrl,
    ...(o.adminToken !== undefined ? { adminToken: o.adminToken } : {}),
    gatewayUrl: o.gatewayUrl,
    speed: o.speed,
    ...(o.truthFile !== undefined ? { truthFile: o.truthFile } : {}),
    dryRun: o.dryRun,
    ...(o.idPrefix !== undefined ? { idPrefix: o.idPrefix } : {}),
    maxInFlight: o.maxInFlight,
    ...(o.customerReports !== undefined ? { customerReports: o.customerReports } : {}),
    // Bars only for a person watching; a pipe or a CI log gets the summary alone.
    ...(process.stdout.isTTY && !o.quiet ? { progress: new TerminalProgress() } : {}),
    log: (line) => process.stderr.write(`simulate: ${line}\n`),
    signal: abort.signal,
  });
  printSummary(summary);
  return summary.aborted ? 130 : summary.unacked > 0 ? 1 : 0;
}

function printSummary(s: SimulationSummary): void {
  const lines = [
    `scenario ${s.scenario} (seed ${s.seed})${s.dryRun ? ', dry run' : ''}${s.aborted ? ', STOPPED EARLY' : ''}`,
    `event time ${s.start} .. ${s.end}, reached ${s.reached}`,
    `fleet: ${s.customers} customers, ${s.assets} assets, ${s.devices} devices; ${s.faults} faults injected, ${s.failures} failures noticeable, ${s.customerReports} customer reports`,
    `readings: ${s.readings} generated (${s.values} values), ${s.ackedReadings} acknowledged (${s.ackedValues} values)`,
    `customer reports: ${s.customerReportsSent} sent (the platform was first for ${s.platformFirst}), ${s.customerReportsFailed} failed`,
    `messages: ${s.published} published, ${s.acked} acked, ${s.rejected} rejected (${s.badPayloads} bad payloads sent), ${s.unacked} unacked, ${s.retransmits} retransmitted, ${s.reconnects} reconnects`,
    `rate: ${s.readingsPerSecond} readings/s, ${s.valuesPerSecond} values/s, ${s.messagesPerSecond} messages/s over ${s.playSeconds} s (${s.wallSeconds} s in all)`,
    ...(s.truthFile ? [`ground truth: ${s.truthFile}`] : []),
  ];
  process.stdout.write(`${lines.join('\n')}\n${JSON.stringify(s)}\n`);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ScenarioError) {
      for (const line of error.lines) process.stderr.write(`simulate: ${line}\n`);
      process.exit(2);
    }
    if (error instanceof SimulationError || error instanceof ApiRequestError) {
      process.stderr.write(`simulate: ${error.message}\n`);
      process.exit(1);
    }
    process.stderr.write(`simulate: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
