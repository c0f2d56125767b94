import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('configuration', () => {
  it('starts on embedded defaults with an empty environment', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(4000);
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(config.NODE_ENV).toBe('development');
  });

  it('names every bad variable at once', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      DATABASE_URL: 'mysql://x/y',
      REDIS_URL: 'localhost',
      NODE_ENV: 'prod',
    });
    expect(problems).toHaveLength(4);
    expect(problems.find((p) => p.startsWith('PORT:'))).toBeDefined();
    expect(problems.find((p) => p.startsWith('DATABASE_URL:'))).toMatch(/postgres:\/\//);
    expect(problems.find((p) => p.startsWith('REDIS_URL:'))).toMatch(/redis:\/\//);
    expect(problems.find((p) => p.startsWith('NODE_ENV:'))).toBeDefined();
  });

  it('rejects a port out of range and a queue prefix with a colon', () => {
    expect(problemsOf({ PORT: '70000' })[0]).toMatch(/^PORT:/);
    expect(problemsOf({ QUEUE_PREFIX: 'a:b' })[0]).toMatch(/^QUEUE_PREFIX: letters, digits/);
  });

  it('reads per-queue worker concurrency, and explains a bad list', () => {
    expect(
      loadConfig({ WORKER_QUEUE_CONCURRENCY: 'transfers=8,decisions=2' }).WORKER_QUEUE_CONCURRENCY,
    ).toEqual({
      transfers: 8,
      decisions: 2,
    });
    expect(problemsOf({ WORKER_QUEUE_CONCURRENCY: 'transfers:8' })[0]).toMatch(
      /^WORKER_QUEUE_CONCURRENCY: a list like/,
    );
  });

  it('requires the token keys in production', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([
      expect.stringMatching(/^AUTH_JWKS: required in production/),
    ]);
    expect(problemsOf({ NODE_ENV: 'production', AUTH_JWKS: '{"keys":[]}' })).toEqual([]);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' }).PORT).toBe(4000);
  });
});
