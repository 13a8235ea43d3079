import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { startServiceDeskApp, type ServiceDeskTestApp } from './testing/service-desk-test-app.js';

describe('service desk OpenAPI', () => {
  let t: ServiceDeskTestApp;
  beforeAll(async () => {
    t = await startServiceDeskApp();
  });
  afterAll(async () => t?.close());

  it('documents every route with its zod-derived body, query and responses', () => {
    const doc = SwaggerModule.createDocument(t.app, new DocumentBuilder().addBearerAuth().build());
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/api/complaints',
      '/api/complaints/{id}',
      '/api/complaints/{id}/close',
      '/api/complaints/{id}/investigation',
      '/api/complaints/{id}/rating',
      '/api/kpis',
      '/api/preventive-plans',
      '/api/preventive-plans/{id}',
      '/api/reports',
      '/api/work-orders',
      '/api/work-orders/{id}',
      '/api/work-orders/{id}/acceptance',
      '/api/work-orders/{id}/auto-assign',
      '/api/work-orders/{id}/candidates',
      '/api/work-orders/{id}/charges',
      '/api/work-orders/{id}/comments',
      '/api/work-orders/{id}/fees',
      '/api/work-orders/{id}/follow-ups',
      '/api/work-orders/{id}/follow-ups/{followUpId}/done',
      '/api/work-orders/{id}/labour',
      '/api/work-orders/{id}/parts',
      '/api/work-orders/{id}/survey',
      '/api/work-orders/{id}/transitions',
      '/api/work-orders/{id}/warranty',
    ]);
    const transition = JSON.stringify(doc.paths['/api/work-orders/{id}/transitions']?.post?.requestBody);
    for (const to of [
      '"triaged"',
      '"assigned"',
      '"resolved"',
      '"on_hold"',
      '"cancelled"',
      'waiting_on_customer',
      'false_alarm',
    ]) {
      expect(transition).toContain(to);
    }
    const list = doc.paths['/api/work-orders']?.get;
    expect(list?.parameters?.map((p) => ('name' in p ? p.name : undefined)).sort()).toEqual([
      'assetId',
      'breached',
      'customerId',
      'from',
      'limit',
      'offset',
      'priority',
      'source',
      'status',
      'technicianId',
      'to',
    ]);
    const kpis = doc.paths['/api/kpis']?.get;
    expect(kpis?.parameters?.map((p) => ('name' in p ? p.name : undefined)).sort()).toEqual([
      'format',
      'from',
      'groupBy',
      'mtbfByAsset',
      'to',
    ]);
    expect(JSON.stringify(kpis?.responses['200'])).toContain('firstTimeFix');
    expect(JSON.stringify(doc.paths['/api/work-orders/{id}/parts']?.post?.requestBody)).toContain(
      'certified_alternative',
    );
  });
});
