/**
 * The HTML report in headless Chromium (Debian's `chromium`, installed by .ci/run; never downloaded):
 * loads with no console errors and no request at all, the tree opens and closes, the filter works.
 * Writes docs/html-report.png (a realistic batch, 1280×1000) when UPDATE_SCREENSHOT=1.
 */
import { createHash } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Judged } from '../../src/render/common.js';
import { renderHtml } from '../../src/render/html.js';
import { fixtureReport, NAMES } from '../helpers/report-fixture.js';
import { tempDir } from '../helpers/temp-dir.js';

const CHROMIUM = '/usr/bin/chromium';

// Skipped only on a developer machine without chromium; in CI (.ci/run installs it) a missing browser fails.
describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('HTML report in headless Chromium', () => {
  let browser: BrowserContext;
  let page: Page;
  const problems: string[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    const dir = tempDir('ti-check-html-');
    const file = join(dir, 'report.html');
    writeFileSync(file, renderHtml(fixtureReport(), { names: NAMES }));
    // A fresh profile per run: nothing from an earlier run or the developer's own browser.
    browser = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: CHROMIUM,
      viewport: { width: 1100, height: 900 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = browser.pages()[0] ?? (await browser.newPage());
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('request', (r) => {
      if (!r.url().startsWith('file:')) requests.push(r.url());
    });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  const visibleTargets = () =>
    page.$$eval(
      'section.target',
      (all) => all.filter((s) => !(s as unknown as { hidden: boolean }).hidden).length,
    );

  it('loads with no console errors, no CSP violation and no outside request', async () => {
    expect(await page.title()).toBe('ti-check report');
    expect(await visibleTargets()).toBe(5);
    expect(await page.textContent('#count')).toBe('5 of 5 shown');
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
  });

  it('the tree opens and closes', async () => {
    const tree = page.locator('section.target').nth(2).locator('details').first();
    const services = tree.locator('ul.tree');
    expect(await tree.evaluate((d) => (d as unknown as { open: boolean }).open)).toBe(false); // clean: closed
    expect(await services.isVisible()).toBe(false);
    await tree.locator('summary').first().click();
    expect(await services.isVisible()).toBe(true);
    const service = services.locator('details.svc').first();
    await service.locator(':scope > summary').click();
    expect(await service.evaluate((d) => (d as unknown as { open: boolean }).open)).toBe(true);
    await tree.locator('summary').first().click();
    expect(await services.isVisible()).toBe(false);
    await page.click('#expand');
    expect(
      await page.$$eval('details', (all) => all.every((d) => (d as unknown as { open: boolean }).open)),
    ).toBe(true);
    await page.click('#collapse');
    expect(
      await page.$$eval('details', (all) => all.some((d) => (d as unknown as { open: boolean }).open)),
    ).toBe(false);
  });

  it('the filter narrows the files by name, verdict, hash or engine', async () => {
    await page.fill('#filter', 'helper');
    expect(await visibleTargets()).toBe(1);
    await page.fill('#filter', 'MALICIOUS');
    expect(await visibleTargets()).toBe(1);
    await page.fill('#filter', 'trustedav allow-listed');
    expect(await visibleTargets()).toBe(1);
    await page.fill('#filter', 'dddddddd');
    expect(await page.textContent('#count')).toBe('1 of 5 shown');
    await page.fill('#filter', 'no such thing');
    expect(await visibleTargets()).toBe(0);
    expect(await page.isVisible('#empty')).toBe(true);
    await page.fill('#filter', '');
    expect(await visibleTargets()).toBe(5);
    expect(problems).toEqual([]);
  });

  it('a summary link opens its file, even when collapsed or filtered out', async () => {
    expect(await page.$$eval('.overview a', (all) => all.map((a) => a.getAttribute('href')))).toEqual([
      '#file-1',
      '#file-2',
    ]);
    await page.click('#collapse');
    await page.fill('#filter', 'dddddddd');
    expect(await page.isVisible('#file-2')).toBe(false);
    await page.click('.overview a[href="#file-2"]');
    expect(await page.inputValue('#filter')).toBe('');
    expect(await visibleTargets()).toBe(5);
    expect(await page.locator('#file-2 ul.tree').isVisible()).toBe(true);
    expect(new URL(page.url()).hash).toBe('#file-2');
    expect(problems).toEqual([]);
  });

  it('screenshot for the docs: a realistic batch', async () => {
    if (!process.env.UPDATE_SCREENSHOT) return;
    const file = join(tempDir('ti-check-shot-'), 'batch.html');
    writeFileSync(file, renderHtml(realisticBatch(), { names: NAMES }));
    const shot = await browser.newPage();
    await shot.setViewportSize({ width: 1280, height: 1000 });
    await shot.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    await shot.screenshot({
      path: new URL('../../docs/html-report.png', import.meta.url).pathname,
      fullPage: false,
    });
    await shot.close();
  });
});

/** The golden fixture's files under believable names: three malicious, one suspicious, three clean, two unknown. */
function realisticBatch(): Judged[] {
  const [malicious, suspicious, clean, unknown, allowed] = fixtureReport() as [
    Judged,
    Judged,
    Judged,
    Judged,
    Judged,
  ];
  const as = (r: Judged, path: string): Judged => {
    const hash = (algorithm: string) => createHash(algorithm).update(path).digest('hex');
    const old = r.target.sha256 ?? '';
    const sha256 = hash('sha256');
    return {
      ...r,
      target: { ...r.target, path, md5: hash('md5'), sha1: hash('sha1'), sha256 },
      services: r.services.map((s) => ({ ...s, link: s.link?.replace(old, sha256) ?? null })),
    };
  };
  return [
    as(clean, 'dist/app.exe'),
    as(unknown, 'dist/plugins/loader.so'),
    as(malicious, 'dist/setup.exe'),
    allowed,
    as(suspicious, 'tools/keygen.exe'),
    as(clean, 'vendor/7z2301-x64.msi'),
    as(malicious, 'downloads/invoice_2024-0423.pdf.exe'),
    unknown,
    as(malicious, 'tmp/update-helper.dll'),
  ];
}
