import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { type EventsTestApp, startEventsTestApp } from './testing/events-test-app.js';

describe('events OpenAPI', () => {
  let db: TestDatabase;
  let t: EventsTestApp;
  beforeAll(async () => {
    db = await createTestDatabase();
    t = await startEventsTestApp({ connection: db.connection, options: { dispatcher: { enabled: false } } });
  });
  afterAll(async () => {
    await t?.close();
    await db?.dispose();
  });

  it('documents the SSE stream and the webhook routes with their zod-derived schemas', () => {
    const doc = SwaggerModule.createDocument(t.app, new DocumentBuilder().addBearerAuth().build());
    expect(
      Object.keys(doc.paths)
        .filter((p) => /events|webhooks/.test(p))
        .sort(),
    ).toEqual(['/api/events', '/api/webhooks', '/api/webhooks/{id}', '/api/webhooks/{id}/deliveries']);
    const stream = doc.paths['/api/events']?.get;
    expect(
      Object.keys(
        stream?.responses['200'] && 'content' in stream.responses['200'] ? (stream.responses['200'].content ?? {}) : {},
      ),
    ).toContain('text/event-stream');
    expect(stream?.parameters?.map((p) => ('name' in p ? p.name : undefined)).sort()).toEqual([
      'Last-Event-ID',
      'lastEventId',
      'types',
    ]);
    const create = doc.paths['/api/webhooks']?.post;
    expect(JSON.stringify(create?.requestBody)).toContain('"url"');
    expect(JSON.stringify(create?.responses['201'])).toContain('"secret"');
    expect(JSON.stringify(doc.paths['/api/webhooks/{id}/deliveries']?.get?.responses['200'])).toContain('"dead"');
  });
});
