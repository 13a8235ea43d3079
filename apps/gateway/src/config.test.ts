import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('gateway configuration', () => {
  it('has the documented defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      mqttPort: 1883,
      mqttWsPort: 8083,
      httpPort: 3000,
      dataDir: path.resolve('./data'),
      databaseUrl: undefined,
      adminToken: undefined,
      logLevel: 'info',
      detectionEnabled: true,
    });
  });

  it('reads every variable', () => {
    const c = loadConfig({
      MQTT_PORT: '0',
      MQTT_WS_PORT: 'off',
      HTTP_PORT: '8080',
      DATA_DIR: '/tmp/x',
      DATABASE_URL: 'postgres://u@h/db',
      ADMIN_TOKEN: 'a-long-enough-token',
      LOG_LEVEL: 'debug',
      DETECTION_ENABLED: 'false',
    });
    expect(c).toMatchObject({
      mqttPort: 0,
      mqttWsPort: null,
      httpPort: 8080,
      dataDir: '/tmp/x',
      databaseUrl: 'postgres://u@h/db',
      adminToken: 'a-long-enough-token',
      logLevel: 'debug',
      detectionEnabled: false,
    });
  });

  it.each([
    ['true', true],
    ['1', true],
    ['ON', true],
    ['false', false],
    [' 0 ', false],
    ['off', false],
  ])('reads DETECTION_ENABLED=%j as %s', (value, enabled) => {
    expect(loadConfig({ DETECTION_ENABLED: value }).detectionEnabled).toBe(enabled);
  });

  it.each([
    ['MQTT_PORT', 'abc', /Invalid setting MQTT_PORT="abc": MQTT_PORT must be a TCP port/],
    ['HTTP_PORT', '70000', /Invalid setting HTTP_PORT="70000"/],
    ['MQTT_WS_PORT', '-1', /MQTT_WS_PORT must be a TCP port number 0-65535, or "off"/],
    ['DATABASE_URL', 'mysql://x', /DATABASE_URL must be a postgres:\/\//],
    ['ADMIN_TOKEN', 'short', /ADMIN_TOKEN must be at least 16 characters/],
    ['LOG_LEVEL', 'loud', /Invalid setting LOG_LEVEL="loud"/],
    ['INGEST_BATCH_MAX_ROWS', '0', /INGEST_BATCH_MAX_ROWS must be an integer from 1 to 100000/],
    [
      'DETECTION_ENABLED',
      'maybe',
      /Invalid setting DETECTION_ENABLED="maybe": DETECTION_ENABLED must be true or false/,
    ],
  ])('rejects a bad %s with one line naming it', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });
});
