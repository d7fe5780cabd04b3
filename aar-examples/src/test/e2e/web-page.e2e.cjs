// Drives the quick-start web page in headless Chromium: key, upload, preflight, the four phases to
// 100%, at least one finding, the report. Run by .ci/e2e with AAR_URL, AAR_KEY, AAR_ZIP, AAR_OUT, CHROMIUM.
'use strict';
const fs = require('fs');
const path = require('path');
const { launch } = require('./chromium.cjs');

const PHASES = ['Extracting', 'Indexing', 'Analyzing', 'Saving'];
const env = (name) => { const v = process.env[name]; if (!v) throw new Error(name + ' is not set'); return v; };

async function main() {
  const url = env('AAR_URL'); const key = env('AAR_KEY'); const zip = env('AAR_ZIP'); const out = env('AAR_OUT');
  const { context, page, close } = await launch(env('CHROMIUM'), { width: 1280, height: 2000 });
  const problems = [];
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  // a failed request is reported with its URL (the console message has none); the browser's own
  // favicon probe is not the page's
  context.on('response', (r) => {
    if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) problems.push(`HTTP ${r.status()} for ${r.request().method()} ${r.url()}`);
  });
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push('console: ' + m.text());
  });
  try {
    await page.goto(url);
    await page.fill('#apiKey', key);
    await page.press('#apiKey', 'Tab'); // 'change' stores the key

    await page.setInputFiles('#file', zip);
    step('uploading ' + path.basename(zip));
    await page.waitForSelector('#preflightSection:not([hidden])', { timeout: 120000 });
    await page.waitForFunction(() => document.querySelector('#preflight').rows.length > 0, null, { timeout: 120000 });
    step('preflight: ' + (await page.textContent('#preflight')).replace(/\s+/g, ' ').trim());
    if (await page.isVisible('#approve')) {
      await page.click('#approve');
      step('approved');
    }
    await page.waitForSelector('#start:not([disabled])', { timeout: 30000 });
    await page.click('#start');
    step('analysis started');

    await page.waitForFunction((phases) => phases.every((p) => {
      const pct = document.getElementById('pct-' + p);
      return pct && pct.textContent.trim() === '100%';
    }), PHASES, { timeout: 600000, polling: 250 });
    step('all four phases at 100%');
    await page.waitForFunction(() => Number(document.getElementById('findingCount').textContent) > 0, null, { timeout: 60000 });
    const findings = Number(await page.textContent('#findingCount'));
    step(findings + ' findings listed');

    await page.waitForSelector('#reportSection:not([hidden])', { timeout: 60000 });
    await page.waitForFunction(() => document.getElementById('reportFrame').srcdoc.length > 0, null, { timeout: 60000 });
    const framed = await page.frameLocator('#reportFrame').locator('body').textContent();
    if (!framed || framed.trim().length < 100) throw new Error('the report frame on the page is empty');
    step('report shown on the page (' + framed.trim().length + ' characters)');
    const [report] = await Promise.all([context.waitForEvent('page'), page.click('#reportLink')]);
    await report.waitForLoadState();
    const reportText = await report.textContent('body');
    if (!reportText || reportText.trim().length < 100) throw new Error('the report page is empty');
    step('report opened (' + reportText.trim().length + ' characters)');

    const status = await page.textContent('#jobStatus');
    if (!/Done/.test(status)) throw new Error('job status is "' + status + '", expected Done');
    if (problems.length) throw new Error('the page reported errors:\n  ' + problems.join('\n  '));
    fs.mkdirSync(out, { recursive: true });
    await report.screenshot({ path: path.join(out, 'report.png'), fullPage: true });
    // Chromium paints a frame only once it has been in view
    await page.locator('#reportFrame').scrollIntoViewIfNeeded();
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(out, 'screenshot.png'), fullPage: true });
    step('screenshots in ' + out);
  } catch (e) {
    fs.mkdirSync(out, { recursive: true });
    await page.screenshot({ path: path.join(out, 'screenshot.png'), fullPage: true }).catch(() => {});
    console.error('e2e: FAILED: ' + e.message);
    console.error('e2e: upload status: ' + await page.textContent('#uploadStatus').catch(() => '?'));
    console.error('e2e: job status: ' + await page.textContent('#jobStatus').catch(() => '?'));
    if (problems.length) console.error('e2e: ' + problems.join('\ne2e: '));
    process.exitCode = 1;
  } finally {
    await close();
  }
}

function step(text) { console.log('e2e: ' + text); }

main().catch((e) => { console.error(e); process.exit(1); });
