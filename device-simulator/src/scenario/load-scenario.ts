import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseScenario, type Scenario, ScenarioError } from './scenario-schema.js';

/** Command-line values that replace the scenario's own. */
export interface ScenarioOverrides {
  readonly days?: number;
  readonly devices?: number;
  readonly seed?: number;
  readonly start?: string;
  readonly badPayloadRate?: number;
  readonly uploadBatchSize?: number;
}

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * The shipped scenarios: next to the sources (device-simulator/scenarios), also when running from the
 * build output (dist/device-simulator/src -> ../../../device-simulator/scenarios).
 */
export function scenarioDirectory(): string {
  const candidates = [
    path.resolve(here, '../../scenarios'),
    path.resolve(here, '../../../../device-simulator/scenarios'),
  ];
  return candidates.find((dir) => existsSync(dir)) ?? candidates[0]!;
}

export async function listScenarios(): Promise<string[]> {
  const files = await readdir(scenarioDirectory()).catch(() => []);
  return files
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5))
    .sort();
}

/** A shipped scenario by name (`smoke`), or a JSON file by path; overrides applied, then validated. */
export async function loadScenario(nameOrPath: string, overrides: ScenarioOverrides = {}): Promise<Scenario> {
  const byName = /^[a-z0-9][a-z0-9-]*$/.test(nameOrPath)
    ? path.join(scenarioDirectory(), `${nameOrPath}.json`)
    : undefined;
  const file = byName && existsSync(byName) ? byName : nameOrPath;
  if (!existsSync(file)) {
    const names = await listScenarios();
    throw new ScenarioError([
      `--scenario: no scenario named "${nameOrPath}" (shipped: ${names.join(', ') || 'none'}) and no file at that path`,
    ]);
  }
  const text = await readFile(file, 'utf8');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ScenarioError([`${file}: not valid JSON: ${error instanceof Error ? error.message : String(error)}`]);
  }
  return parseScenario(applyOverrides(raw, overrides), path.basename(file));
}

/** Applies overrides to a scenario (raw or parsed) and validates the result. */
export function withOverrides(scenario: Scenario, overrides: ScenarioOverrides): Scenario {
  return parseScenario(applyOverrides(scenario, overrides), `scenario ${scenario.name}`);
}

function applyOverrides(raw: unknown, o: ScenarioOverrides): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  const s = structuredClone(raw) as Record<string, unknown>;
  const section = (key: string): Record<string, unknown> => {
    const current = s[key];
    const obj = typeof current === 'object' && current !== null && !Array.isArray(current) ? current : {};
    s[key] = obj;
    return obj as Record<string, unknown>;
  };
  if (o.days !== undefined) s['days'] = o.days;
  if (o.seed !== undefined) s['seed'] = o.seed;
  if (o.start !== undefined) s['start'] = o.start;
  if (o.devices !== undefined) section('fleet')['devices'] = o.devices;
  if (o.badPayloadRate !== undefined) section('transport')['badPayloadRate'] = o.badPayloadRate;
  if (o.uploadBatchSize !== undefined) section('transport')['uploadBatchSize'] = o.uploadBatchSize;
  return s;
}
