import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiErrorSchema, TechnicianSchema, type Technician } from '#contracts';
import { createTechnician } from '../testing/fixtures.js';
import { type FleetTestApp, startFleetApp } from '../testing/fleet-test-app.js';

describe('technicians over HTTP', () => {
  let t: FleetTestApp;
  beforeAll(async () => {
    t = await startFleetApp();
  });
  afterAll(async () => t?.close());

  it('creates with defaults, reads, updates and deletes a technician', async () => {
    const created = await t.request('POST', '/api/technicians', { body: { name: 'Lee Park', level: 'junior' } });
    expect(created.status).toBe(201);
    const tech = TechnicianSchema.parse(created.body);
    expect(tech).toMatchObject({
      name: 'Lee Park',
      level: 'junior',
      skills: [],
      region: null,
      base: null,
      available: true,
    });
    expect(await t.request('GET', `/api/technicians/${tech.id}`)).toEqual({ status: 200, body: tech });

    const patched = await t.request('PATCH', `/api/technicians/${tech.id}`, {
      body: { skills: ['coating_inspection', 'cp_survey'], base: { lat: 60.39, lon: 5.32 } },
    });
    expect(patched.status).toBe(200);
    expect(TechnicianSchema.parse(patched.body)).toEqual({
      ...tech,
      skills: ['coating_inspection', 'cp_survey'],
      base: { lat: 60.39, lon: 5.32 },
    });

    expect((await t.request('DELETE', `/api/technicians/${tech.id}`)).status).toBe(204);
    expect((await t.request('GET', `/api/technicians/${tech.id}`)).status).toBe(404);
  });

  it('leaves fields a PATCH does not name alone, and clears the ones it sets to null', async () => {
    const tech = await createTechnician(t);
    const res = await t.request<Technician>('PATCH', `/api/technicians/${tech.id}`, { body: { available: false } });
    expect(res.body).toEqual({ ...tech, available: false });
    const again = await t.request<Technician>('PATCH', `/api/technicians/${tech.id}`, {
      body: { level: 'intermediate' },
    });
    expect(again.body).toEqual({ ...tech, available: false, level: 'intermediate' });
    const cleared = await t.request<Technician>('PATCH', `/api/technicians/${tech.id}`, {
      body: { region: null, base: null },
    });
    expect(cleared.body).toMatchObject({ region: null, base: null, skills: tech.skills });
  });

  it('filters by level, region and availability', async () => {
    const a = await createTechnician(t, 'Filter A');
    await t.request('PATCH', `/api/technicians/${a.id}`, { body: { region: 'filter-region', available: false } });
    const b = await createTechnician(t, 'Filter B');
    await t.request('PATCH', `/api/technicians/${b.id}`, { body: { region: 'filter-region', level: 'junior' } });
    const inRegion = await t.request<Technician[]>('GET', '/api/technicians?region=filter-region');
    expect(inRegion.body.map((x) => x.name)).toEqual(['Filter A', 'Filter B']);
    const available = await t.request<Technician[]>('GET', '/api/technicians?region=filter-region&available=true');
    expect(available.body.map((x) => x.name)).toEqual(['Filter B']);
    const seniors = await t.request<Technician[]>('GET', '/api/technicians?region=filter-region&level=senior');
    expect(seniors.body.map((x) => x.name)).toEqual(['Filter A']);
  });

  it.each([
    [{ name: 'x', level: 'guru' }, 'level'],
    [{ level: 'junior' }, 'name'],
    [{ name: 'x', level: 'junior', base: { lat: 91, lon: 0 } }, 'base.lat'],
    [{ name: 'x', level: 'junior', skills: [''] }, 'skills.0'],
  ])('names the invalid field (%#)', async (body, field) => {
    const res = await t.request('POST', '/api/technicians', { body });
    expect(res.status).toBe(400);
    expect(ApiErrorSchema.parse(res.body)).toMatchObject({ field });
  });
});
