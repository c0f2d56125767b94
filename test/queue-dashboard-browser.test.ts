import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardQueueNames } from '../gateway/queue-dashboard.ts';
import { HubQueues } from '../jobs/queues.ts';
import { jobDefinitions } from '../jobs/registry.ts';
import { transferMaterials } from '../jobs/transfer-materials.job.ts';
import { startTestHub, type TestHub } from './kit/test-hub.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** What a page did: every request, and every sign of a Content-Security-Policy violation or error. */
function watch(page: Page) {
  const requests: { url: string; authorization: string | undefined }[] = [];
  const cspViolations: string[] = [];
  const errors: string[] = [];
  page.on('request', (request) =>
    requests.push({ url: request.url(), authorization: request.headers().authorization }),
  );
  page.on('console', (message) => {
    if (/Content Security Policy|Trusted Type/i.test(message.text())) cspViolations.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return { requests, cspViolations, errors };
}

/** Collects the page's `securitypolicyviolation` events (the test's tsconfig has no DOM types, hence text). */
const RECORD_VIOLATIONS = `window.violations = [];
document.addEventListener('securitypolicyviolation', (e) => window.violations.push(e.violatedDirective + ' ' + e.blockedURI));`;

async function violationEvents(page: Page): Promise<string[]> {
  return (await page.evaluate('window.violations')) as string[];
}

// CI installs Debian's chromium; on a machine without it this file reports itself skipped.
describe.skipIf(!existsSync(CHROMIUM))('queue dashboard in a real browser', () => {
  let hub: TestHub;
  let queues: HubQueues;
  let browser: Browser;
  const waiting = (page: Page) =>
    page.locator('tr[data-queue="transfers"] td[data-state="waiting"]').textContent();
  const enqueueTransfer = (jobId: string) =>
    queues.enqueue(
      transferMaterials,
      { outboxId: 1, caseId: randomUUID(), topic: 'case.accepted' },
      { jobId },
    );

  beforeAll(async () => {
    hub = await startTestHub();
    queues = new HubQueues(hub.redis, hub.queuePrefix);
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
    await queues?.close();
    await hub?.close();
  });

  it('takes a supervisor token, renders the counts, refreshes them, and asks no other origin', async () => {
    await enqueueTransfer('browser-transfer-1');
    const token = await hub.token('supervisor');
    const page = await browser.newPage();
    await page.addInitScript({ content: RECORD_VIOLATIONS });
    const seen = watch(page);
    const origin = new URL(hub.url).origin;

    await page.goto(`${hub.url}/dashboard/queues`, { waitUntil: 'load' });
    await page.locator('#token').waitFor({ timeout: 20_000 });
    // Pasted as the whole header value: the page takes the token out of it.
    await page.locator('#token').fill(`Bearer ${token}`);
    await page.locator('#login button[type="submit"]').click();
    await expect.poll(() => waiting(page), { timeout: 20_000 }).toBe('1');
    expect(await page.locator('#login').isHidden()).toBe(true);
    expect(await page.locator('#redis').textContent()).toContain('正常');
    expect(await page.locator('#dead-letters').textContent()).toBe('0');
    expect(await page.locator('tr[data-queue]').count()).toBe(dashboardQueueNames(jobDefinitions).length);

    // The page reads the numbers again by itself.
    await enqueueTransfer('browser-transfer-2');
    await expect.poll(() => waiting(page), { timeout: 20_000 }).toBe('2');

    // A reload finds the token in this tab's sessionStorage.
    await page.reload({ waitUntil: 'load' });
    await expect.poll(() => waiting(page), { timeout: 20_000 }).toBe('2');
    expect(await page.locator('#login').isHidden()).toBe(true);

    const foreign = seen.requests.filter(
      ({ url }) => !url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:'),
    );
    expect(foreign).toEqual([]);
    const reads = seen.requests.filter(({ url }) => url === `${origin}/dashboard/queues.json`);
    expect(reads.length).toBeGreaterThanOrEqual(3);
    expect(reads.every((r) => r.authorization === `Bearer ${token}`)).toBe(true);
    expect(seen.cspViolations).toEqual([]);
    expect(await violationEvents(page)).toEqual([]);
    expect(seen.errors).toEqual([]);
    await page.close();
  });

  it('tells a clerk that the dashboard is for supervisors and forgets the token', async () => {
    const page = await browser.newPage();
    const seen = watch(page);
    await page.goto(`${hub.url}/dashboard/queues`, { waitUntil: 'load' });
    await page.locator('#token').fill(await hub.token('clerk'));
    await page.locator('#login button[type="submit"]').click();
    await expect
      .poll(() => page.locator('#login-error').textContent(), { timeout: 20_000 })
      .toMatch(/仅供监督人员.*403: this is for supervisor, not clerk/);
    expect(await page.locator('#board').isHidden()).toBe(true);
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    expect(seen.cspViolations).toEqual([]);
    expect(seen.errors).toEqual([]);
    await page.close();
  });
});
