import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import { AssetDetectionSettingsSchema, DetectionSettingsUpdateSchema, type EffectiveDetectionConfig } from '#contracts';
import { describeZodError } from '#platform';
import { type AssetThresholds, type StreamConfig, type StreamOverrides, buildStreamConfig } from '../core/index.js';
import { settingsProblem } from './settings-validation.js';

/** The field a 400 would name (the API's ZodValidationPipe wording), or null when the body is valid. */
function fieldOf(body: unknown): string | null {
  const parsed = DetectionSettingsUpdateSchema.safeParse(body);
  return parsed.success ? null : describeZodError(parsed.error).field;
}

const COATING = { nominalDftUm: 300, coatingInstalledAt: Date.UTC(2024, 4, 1), corrosivityCategory: 'C4' } as const;

describe('asset detection settings: schema', () => {
  it('accepts thresholds, overrides, disabled detectors and unknown (generic) metrics', () => {
    const settings = {
      thresholds: { dftBreakdownFraction: 0.6, corrosionRateBandsMmY: { high: 0.3 }, confirmReadings: 2 },
      streams: {
        coating_thickness_um: { window: { size: 48, warmup: 12 }, stuck: null, forecast: { horizonMs: 86_400_000 } },
        cp_potential_mv: { departure: null, slope: { z: 6, impossible: null }, offline: { factor: 6 } },
        vibration_rms_g: { spike: { zThreshold: 7 }, step: null },
      },
    };
    const parsed = AssetDetectionSettingsSchema.parse(settings);
    expect(parsed).toEqual(settings);
    expect(AssetDetectionSettingsSchema.parse({})).toEqual({});
    expect(fieldOf({ settings, version: 3 })).toBeNull();
  });

  it('rejects invalid settings naming the field', () => {
    expect(fieldOf({ settings: { thresholds: { dftBreakdownFraction: 1.2 } } })).toBe(
      'settings.thresholds.dftBreakdownFraction',
    );
    expect(fieldOf({ settings: { thresholds: { confirmReadings: 1.5 } } })).toBe('settings.thresholds.confirmReadings');
    expect(fieldOf({ settings: { thresholds: { colour: 'red' } } })).toBe('settings.thresholds.colour');
    expect(fieldOf({ settings: { streams: { coating_thickness_um: { window: { size: 2 } } } } })).toBe(
      'settings.streams.coating_thickness_um.window.size',
    );
    expect(fieldOf({ settings: { streams: { coating_thickness_um: { spike: { zThreshold: -1 } } } } })).toBe(
      'settings.streams.coating_thickness_um.spike.zThreshold',
    );
    expect(fieldOf({ settings: { streams: { coating_thickness_um: { offline: null } } } })).toBe(
      'settings.streams.coating_thickness_um.offline',
    );
    expect(fieldOf({ settings: { streams: { coating_thickness_um: { stuck: { limit: 3 } } } } })).toBe(
      'settings.streams.coating_thickness_um.stuck.limit',
    );
    expect(fieldOf({ settings: { streams: { coating_thickness_um: { range: { min: 10, max: 5 } } } } })).toBe(
      'settings.streams.coating_thickness_um.range.min',
    );
    expect(fieldOf({ settings: { streams: { coating_thickness_um: { noise: { ratio: 0.5 } } } } })).toBe(
      'settings.streams.coating_thickness_um.noise.ratio',
    );
    // A metric name must look like one (the telemetry pattern); the offending key is in the path.
    expect(fieldOf({ settings: { streams: { 'Bad Metric': {} } } })).toMatch(/^settings\.streams/);
    expect(fieldOf({ settings: {}, version: -1 })).toBe('version');
    expect(fieldOf({ settings: {}, extra: 1 })).toBe('extra');
    expect(fieldOf({})).toBe('settings');
  });

  it('parses to what the detector core takes (AssetThresholds, StreamOverrides, StreamConfig)', () => {
    type Settings = z.output<typeof AssetDetectionSettingsSchema>;
    expectTypeOf<NonNullable<Settings['thresholds']>>().toExtend<AssetThresholds>();
    expectTypeOf<NonNullable<Settings['streams']>[string]>().toExtend<StreamOverrides>();
    expectTypeOf<StreamConfig>().toExtend<EffectiveDetectionConfig['config']>();
    const parsed = AssetDetectionSettingsSchema.parse({ streams: { coating_thickness_um: { stuck: null } } });
    expect(buildStreamConfig('coating_thickness_um', { ...COATING, ...parsed }).stuck).toBeNull();
  });
});

describe('asset detection settings: what the detectors cannot run with', () => {
  it('accepts settings the core builds', () => {
    expect(settingsProblem({}, COATING)).toBeNull();
    expect(
      settingsProblem(
        { thresholds: { dftBreakdownFraction: 0.9 }, streams: { coating_thickness_um: { window: { warmup: 12 } } } },
        COATING,
      ),
    ).toBeNull();
  });

  it('refuses overrides the detectors would not use, instead of storing them to be ignored', () => {
    // A battery is the device's own: there is no partner to compare it with.
    expect(settingsProblem({ streams: { battery_v: { pairedDrift: { limit: 0.1 } } } }, COATING)).toMatchObject({
      field: 'settings.streams.battery_v',
      message: expect.stringMatching(/pairedDrift compares sensors of a metric the asset's devices share/),
    });
    // The battery has no slope-change detector to tune; the weather metrics' opt-in ones can be switched on.
    expect(settingsProblem({ streams: { battery_v: { slope: { z: 4 } } } }, COATING)?.message).toMatch(
      /the slope detector has no configuration for this metric/,
    );
    expect(settingsProblem({ streams: { temperature_c: { step: {}, pairedDrift: null } } }, COATING)).toBeNull();
  });

  it('names the field of a cross-field problem of a named metric', () => {
    expect(
      settingsProblem({ streams: { coating_thickness_um: { window: { size: 12, warmup: 20 } } } }, COATING),
    ).toEqual({
      field: 'settings.streams.coating_thickness_um.window.warmup',
      message: 'settings.streams.coating_thickness_um.window.warmup: window.warmup must not exceed window.size',
    });
    // The default window (24) is what the warmup is checked against when the size is not overridden.
    expect(settingsProblem({ streams: { humidity_pct: { window: { warmup: 30 } } } }, COATING)?.field).toBe(
      'settings.streams.humidity_pct.window.warmup',
    );
    expect(settingsProblem({ streams: { cp_potential_mv: { buckets: { size: 10 } } } }, COATING)?.field).toMatch(
      /^settings\.streams\.cp_potential_mv\.(departure|slope|forecast)\./,
    );
    expect(settingsProblem({ streams: { vibration_rms_g: { slope: { recentBuckets: 30 } } } }, COATING)?.field).toBe(
      'settings.streams.vibration_rms_g.slope.recentBuckets',
    );
  });

  it('checks a range whose merged limits are out of order', () => {
    // The catalog range of a DFT is 0..5000 um: a minimum above it is out of order once merged.
    expect(settingsProblem({ streams: { coating_thickness_um: { range: { min: 6000 } } } }, COATING)).toMatchObject({
      field: 'settings.streams.coating_thickness_um.range.min',
    });
  });
});
