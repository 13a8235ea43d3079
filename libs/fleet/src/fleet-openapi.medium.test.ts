import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { type FleetTestApp, startFleetApp } from './testing/fleet-test-app.js';

describe('fleet OpenAPI', () => {
  let t: FleetTestApp;
  beforeAll(async () => {
    t = await startFleetApp();
  });
  afterAll(async () => t?.close());

  it('documents every fleet route with its zod-derived body, query and responses', () => {
    const doc = SwaggerModule.createDocument(t.app, new DocumentBuilder().addBearerAuth().build());
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/api/assets',
      '/api/assets/{id}',
      '/api/customers',
      '/api/customers/{id}',
      '/api/devices',
      '/api/devices/{id}',
      '/api/devices/{id}/token',
      '/api/technicians',
      '/api/technicians/{id}',
      '/api/tokens',
      '/api/tokens/{id}',
    ]);
    const createAsset = doc.paths['/api/assets']?.post;
    const body = JSON.stringify(createAsset?.requestBody);
    expect(body).toContain('nominalDftUm');
    expect(body).toContain('"Im4"');
    expect(JSON.stringify(createAsset?.responses['201'])).toContain('corrosivityCategory');
    const listDevices = doc.paths['/api/devices']?.get;
    expect(listDevices?.parameters?.map((p) => ('name' in p ? p.name : undefined)).sort()).toEqual([
      'assetId',
      'customerId',
      'enabled',
      'limit',
      'offset',
      'online',
    ]);
  });
});
