import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from './kit/test-hub.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// CI installs Debian's chromium; on a machine without it this file reports itself skipped.
describe.skipIf(!existsSync(CHROMIUM))('GraphiQL in a real browser', () => {
  let hub: TestHub;
  let browser: Browser;
  beforeAll(async () => {
    hub = await startTestHub();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await hub?.close();
  });

  it('renders, runs a query and makes no request to any other origin', async () => {
    const page = await browser.newPage();
    const origin = new URL(hub.url).origin;
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    const cspViolations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    await page.goto(`${hub.url}/graphiql`, { waitUntil: 'load' });
    await page.locator('.graphiql-container').first().waitFor({ timeout: 20_000 });
    // The editor fills in the default query once its worker is up; run it then.
    await expect
      .poll(() => page.locator('.graphiql-query-editor .view-lines').first().textContent(), {
        timeout: 20_000,
      })
      .toContain('RealEstateZone');
    await page.locator('.graphiql-execute-button').first().click();
    await expect
      .poll(() => page.locator('.graphiql-response').first().textContent(), { timeout: 20_000 })
      .toContain('不动产交易登记');
    const foreign = requests.filter(
      (url) => !url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:'),
    );
    expect(foreign).toEqual([]);
    expect(requests.some((url) => url.endsWith('/graphql'))).toBe(true);
    expect(cspViolations).toEqual([]);
    await page.close();
  });
});
