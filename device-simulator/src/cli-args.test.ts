import { describe, expect, it } from 'vitest';
import { parseCliArgs } from './cli-args.js';

const ok = (argv: string[], env: Record<string, string> = {}) => {
  const r = parseCliArgs(argv, env);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.options;
};
const errors = (argv: string[], env: Record<string, string> = {}) => {
  const r = parseCliArgs(argv, env);
  if (r.ok) throw new Error('expected errors');
  return r.errors;
};

describe('parseCliArgs', () => {
  it('reads every flag of the issue', () => {
    const o = ok([
      '--scenario',
      'fault-zoo',
      '--api',
      'http://gw:3000',
      '--token',
      'secret-token-0123456789',
      '--gateway',
      'mqtt://gw:1883',
      '--days',
      '10.5',
      '--devices',
      '50',
      '--seed',
      '9',
      '--start',
      '2025-01-01',
      '--speed',
      '3600',
      '--truth',
      'truth.jsonl',
      '--bad-payload-rate',
      '0.05',
      '--batch-size',
      '500',
      '--id-prefix',
      'demo-',
      '--max-in-flight',
      '32',
      '--quiet',
    ]);
    expect(o).toMatchObject({
      scenario: 'fault-zoo',
      apiUrl: 'http://gw:3000',
      adminToken: 'secret-token-0123456789',
      gatewayUrl: 'mqtt://gw:1883',
      speed: 3600,
      truthFile: 'truth.jsonl',
      idPrefix: 'demo-',
      maxInFlight: 32,
      quiet: true,
      dryRun: false,
      overrides: { days: 10.5, devices: 50, seed: 9, start: '2025-01-01', badPayloadRate: 0.05, uploadBatchSize: 500 },
    });
  });

  it('has defaults, takes the token from ADMIN_TOKEN and needs none for a dry run', () => {
    expect(ok([], { ADMIN_TOKEN: 'from-env-0123456789' })).toMatchObject({
      scenario: 'smoke',
      speed: 'max',
      apiUrl: 'http://127.0.0.1:3000',
      gatewayUrl: 'mqtt://127.0.0.1:1883',
      adminToken: 'from-env-0123456789',
      overrides: {},
    });
    expect(ok(['--dry-run', '--speed=max'])).toMatchObject({ dryRun: true, adminToken: undefined });
  });

  it('gives one line per bad argument, naming it', () => {
    const lines = errors([
      '--days',
      'abc',
      '--devices',
      '0',
      '--speed',
      'fast',
      '--gateway',
      'http://x',
      '--bad-payload-rate',
      '2',
      '--batch-size',
      '5000',
      '--start',
      'yesterday',
      '--bogus',
      'stray',
    ]);
    expect(lines).toHaveLength(9);
    for (const flag of [
      '--days',
      '--devices',
      '--speed',
      '--gateway',
      '--bad-payload-rate',
      '--batch-size',
      '--start',
      '--bogus',
    ]) {
      expect(lines.filter((l) => l.startsWith(`${flag}:`))).toHaveLength(1);
    }
    expect(lines.find((l) => l.startsWith('--speed'))).toMatch(/"max" or a positive number.*got "fast"/);
    expect(lines.find((l) => l.startsWith('--bogus'))).toMatch(/unknown option/);
    expect(lines.find((l) => l.includes('stray'))).toMatch(/unexpected argument/);
  });

  it('says when a value is missing or given to a switch', () => {
    expect(errors(['--dry-run', '--days'])).toEqual(['--days: needs a value']);
    expect(errors(['--dry-run', '--truth', '--quiet'])).toEqual(['--truth: needs a value']);
    expect(errors(['--dry-run=yes'])).toEqual(['--dry-run: takes no value']);
  });

  it('sends customer reports when the gateway has the API, or as asked', () => {
    const env = { ADMIN_TOKEN: 'from-env-0123456789' };
    expect(ok([], env).customerReports).toBeUndefined();
    expect(ok(['--customer-reports'], env).customerReports).toBe(true);
    expect(ok(['--no-customer-reports'], env).customerReports).toBe(false);
    expect(errors(['--customer-reports=yes'], env)).toEqual(['--customer-reports: takes no value']);
  });

  it('asks for the admin token unless dry-running', () => {
    expect(errors([])).toEqual([expect.stringMatching(/^--token: .*ADMIN_TOKEN.*--dry-run/)]);
  });
});
