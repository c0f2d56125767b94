import { describe, expect, it } from 'vitest';
import { AdapterConfigError, buildAdapters } from './registry.ts';

const deps = { recorder: { record: () => {} }, identities: { resolve: async () => new Map() } };

describe('building the adapters', () => {
  it('names every bad or missing department setting at once', async () => {
    const error = await buildAdapters({ TAX_TIMEOUT_MS: 'soon' }, deps, { simulate: false }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AdapterConfigError);
    const problems = (error as AdapterConfigError).problems;
    expect(problems.some((p) => p.startsWith('TAX_TIMEOUT_MS:'))).toBe(true);
    expect(problems).toContain('TAX_BASE_URL: the URL of the tax system is required');
  });

  it('refuses the development credentials in production, naming each variable', async () => {
    const real = {
      NODE_ENV: 'production',
      TAX_BASE_URL: 'https://tax.example.gov.cn',
      POST_BASE_URL: 'https://ems.example.cn',
      PROVINCIAL_BASE_URL: 'https://zwfw.example.gov.cn',
      PUBLIC_SECURITY_BASE_URL: 'https://gaj.example.gov.cn',
    };
    const error = await buildAdapters(real, deps, { simulate: false }).catch((e: unknown) => e);
    const problems = (error as AdapterConfigError).problems.map((p) => p.split(':')[0]);
    for (const variable of [
      'TAX_CLIENT_SECRET',
      'POST_API_KEY',
      'POST_CALLBACK_SECRET',
      'PROVINCIAL_TOKEN',
      'PUBLIC_SECURITY_CALLBACK_SECRET',
    ])
      expect(problems).toContain(variable);
  });

  it('starts a simulator for each department without a URL, and closes them', async () => {
    const built = await buildAdapters({}, deps, { simulate: true });
    try {
      const remote = built.adapters.filter((a) => !a.fallback);
      expect(remote.map((a) => a.name)).toEqual([...built.simulators.keys()]);
      for (const adapter of remote) expect((await adapter.health()).state).toBe('up');
    } finally {
      await built.close();
    }
  });
});
