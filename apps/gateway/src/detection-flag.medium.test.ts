import { afterEach, describe, expect, it } from 'vitest';
import { DETECTION_OPTIONS, type DetectionOptions } from '#detection';
import { ReadingStream } from '#telemetry';
import { startTestGateway, type TestGateway } from '../../../test/support/test-gateway.js';

// DETECTION_ENABLED reaches the detection module: off, nothing listens to the reading stream (the ingest
// benchmark measures the pipeline's cost this way); on by default.
describe('gateway: DETECTION_ENABLED', () => {
  let t: TestGateway | undefined;
  afterEach(async () => {
    await t?.stop();
    t = undefined;
  });

  it.each([
    [{}, true],
    [{ DETECTION_ENABLED: 'false' }, false],
  ])('with %j detection listens: %s', async (env, enabled) => {
    t = await startTestGateway({ env });
    const app = t.gateway.app;
    expect(app.get<symbol, DetectionOptions>(DETECTION_OPTIONS, { strict: false }).enabled).toBe(enabled);
    // The reading stream only queues readings for subscribers: with detection off it has none.
    const stream = app.get(ReadingStream, { strict: false });
    stream.publish([{ deviceId: 'nobody', metric: 'temperature_c', ts: 0, value: 1 }]);
    expect(stream.pendingReadings).toBe(enabled ? 1 : 0);
  });
});
