import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssetDetectionSettingsSchema } from '#contracts';
import { buildStreamConfig } from '../core/index.js';
import { loadReplayProfile } from './replay-profile.js';

describe('replay profile: the asset settings are the API’s', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'replay-profile-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const write = async (name: string, json: unknown) => {
    const file = path.join(dir, name);
    await writeFile(file, JSON.stringify(json));
    return file;
  };

  it('takes thresholds and stream overrides of the API’s shape, typed for the core', async () => {
    const settings = {
      thresholds: { dftBreakdownFraction: 0.6 },
      streams: { coating_thickness_um: { stuck: null, window: { size: 48 } } },
    };
    expect(AssetDetectionSettingsSchema.parse(settings)).toEqual(settings);
    const profile = await loadReplayProfile(await write('ok.json', { asset: { nominalDftUm: 300, ...settings } }));
    expect(profile.asset).toEqual({ nominalDftUm: 300, ...settings });
    const config = buildStreamConfig('coating_thickness_um', profile.asset);
    expect(config.stuck).toBeNull();
    expect(config.window.size).toBe(48);
  });

  it('names the field of an invalid override, as the API does', async () => {
    const file = await write('bad.json', {
      asset: { streams: { coating_thickness_um: { spike: { zThreshold: 0 } } } },
    });
    await expect(loadReplayProfile(file)).rejects.toThrow(/asset\.streams\.coating_thickness_um\.spike\.zThreshold:/);
    const unknown = await write('unknown.json', { asset: { streams: { coating_thickness_um: { stuk: null } } } });
    await expect(loadReplayProfile(unknown)).rejects.toThrow(/asset\.streams\.coating_thickness_um/);
  });
});
