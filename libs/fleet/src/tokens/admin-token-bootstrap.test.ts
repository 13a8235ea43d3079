import { describe, expect, it } from 'vitest';
import { adminTokenProblem } from './admin-token-bootstrap.js';

describe('adminTokenProblem', () => {
  it('accepts a token of 16 characters or more', () => {
    expect(adminTokenProblem('0123456789abcdef')).toBeUndefined();
    expect(adminTokenProblem('api_' + 'x'.repeat(43))).toBeUndefined();
  });

  it('refuses a short token, naming the variable and the minimum', () => {
    expect(adminTokenProblem('short')).toBe('ADMIN_TOKEN must be at least 16 characters (it has 5)');
    expect(adminTokenProblem('')).toMatch(/ADMIN_TOKEN must be at least 16 characters/);
  });

  it('refuses a token with spaces, which no Authorization header could carry', () => {
    expect(adminTokenProblem('0123456789 abcdef')).toBe('ADMIN_TOKEN must not contain spaces');
  });
});
