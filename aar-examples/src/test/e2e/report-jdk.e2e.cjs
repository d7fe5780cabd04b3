// Opens a big project's report.html (the JDK sources', written by `aar analyze`) in headless Chromium,
// served by a local static server under the policy `aar serve` gives reports, and checks the
// architecture pictures: the overview graph and the per-group graphs are there and painted, every
// link from an overview box lands on a group graph, edges that break the configured layering rules
// are marked, the page stays under 5 MB, and nothing breaks the policy or logs an error. Saves report-jdk.png (the overview graph and the first group graphs)
// and report-jdk-top.png (the top of the page) in AAR_OUT. Run by .ci/e2e with AAR_REPORT, AAR_OUT,
// CHROMIUM.
'use strict';
const fs = require('fs');
const http = require('http');
const path = require('path');
const { launch } = require('./chromium.cjs');

// the same policy as ReportRoutes.HTML_POLICY (aar-examples), which serves stored reports
const POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";
const MAX_BYTES = 5 * 1024 * 1024;
const env = (name) => { const v = process.env[name]; if (!v) throw new Error(name + ' is not set'); return v; };

async function main() {
  const file = env('AAR_REPORT'); const out = env('AAR_OUT');
  const bytes = fs.statSync(file).size;
  if (bytes >= MAX_BYTES) throw new Error(`report.html is ${bytes} bytes, over the ${MAX_BYTES} bound`);
  step(`report.html is ${(bytes / 1e6).toFixed(2)} MB`);

  const server = http.createServer((req, res) => {
    if (req.url !== '/report.html') { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': POLICY,
      'X-Content-Type-Options': 'nosniff' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}/report.html`;

  const { context, page, close } = await launch(env('CHROMIUM'), { width: 1280, height: 1600 });
  const problems = [];
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  page.on('console', (m) => { if (m.type() === 'error') problems.push('console: ' + m.text()); });
  context.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} (${r.failure() && r.failure().errorText})`));
  context.on('request', (r) => { if (r.url() !== url && !r.url().endsWith('/favicon.ico')) problems.push('request: ' + r.url()); });
  // added by the browser tooling, so the page's policy does not apply to it; it only listens
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
  });
  try {
    const response = await page.goto(url, { waitUntil: 'load', timeout: 120000 });
    if (response.status() !== 200) throw new Error('HTTP ' + response.status());
    if ((await response.headerValue('content-security-policy')) !== POLICY) throw new Error('the policy header is missing');

    const graphs = await page.$$eval('svg.module-graph', (svgs) => svgs.map((s) => {
      const box = s.getBoundingClientRect();
      return { title: s.querySelector('title').textContent, width: box.width, height: box.height,
        nodes: s.querySelectorAll('g.node').length, edges: s.querySelectorAll('g.edge').length };
    }));
    if (graphs.length < 2) throw new Error(`${graphs.length} module graphs, expected the overview and group graphs`);
    const overview = graphs[0];
    if (overview.title !== 'Module dependency graph' || overview.nodes < 10 || overview.edges < 10) {
      throw new Error('the overview graph is not drawn: ' + JSON.stringify(overview));
    }
    const blank = graphs.filter((g) => g.width < 100 || g.height < 50 || g.nodes < 1);
    if (blank.length) throw new Error('graphs not painted: ' + JSON.stringify(blank.slice(0, 3)));
    step(`${graphs.length} module graphs: overview ${overview.nodes} nodes, ${overview.edges} edges, `
      + `${Math.round(overview.width)}x${Math.round(overview.height)} px; ${graphs.length - 1} group graphs`);

    // .ci/e2e configures layering rules the JDK breaks: the overview marks those edges and names the rule
    const marked = await page.$$eval('svg.module-graph g.edge.violation title', (ts) => ts.map((t) => t.textContent));
    if (!marked.some((t) => /breaks the layering rule '.+ must not depend on .+'/.test(t))) {
      throw new Error('no edge is marked as breaking a layering rule');
    }
    step(`${marked.length} edges marked as breaking a layering rule, e.g. "${marked[0]}"`);

    const links = await page.$$eval('svg.module-graph a', (as) => as.map((a) => a.getAttribute('href')));
    const missing = await page.evaluate((hrefs) => hrefs.filter((h) => !document.getElementById(h.slice(1))), links);
    if (links.length < 1 || missing.length) throw new Error(`${links.length} box links, ${missing.length} without a target: ${missing}`);
    // a click on an overview box goes to its group's graph
    await page.click(`svg.module-graph a[href="${links[0]}"]`);
    await page.waitForFunction((h) => location.hash === h, links[0], { timeout: 10000 });
    step(`${links.length} overview boxes link to their group graphs; a click lands on ${links[0]}`);
    for (const id of ['hotspots', 'findings-by-module']) {
      if (!(await page.$('#' + id + ' + * svg, #' + id + ' ~ div svg'))) throw new Error('no picture after #' + id);
    }

    const violations = await page.evaluate(() => window.__violations);
    if (violations.length) problems.push(...violations.map((v) => 'policy violation: ' + v));
    if (problems.length) throw new Error('the page reported errors:\n  ' + problems.join('\n  '));

    fs.mkdirSync(out, { recursive: true });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(out, 'report-jdk-top.png') });
    // the architecture section, from the overview to the first group graphs (the whole page, with
    // thousands of findings, is too tall for one picture); the page scrolls wide graphs sideways
    // inside a 72rem column, so for the picture that column is lifted (an inline style: the policy
    // allows it) and the window made as wide as the widest of those graphs
    await page.addStyleTag({ content: 'body{max-width:none}.picture{overflow:visible}' });
    const area = await page.evaluate(() => {
      const svgs = [...document.querySelectorAll('svg.module-graph')].slice(0, 4);
      const top = document.getElementById('module-graph').getBoundingClientRect().top + window.scrollY;
      const bottom = svgs[svgs.length - 1].getBoundingClientRect().bottom + window.scrollY;
      const right = Math.max(...svgs.map((s) => s.getBoundingClientRect().right + window.scrollX));
      return { top: Math.floor(top) - 10, height: Math.ceil(bottom - top) + 30, width: Math.ceil(right) + 40 };
    });
    const width = Math.min(area.width, 4000); const height = Math.min(area.height, 8000);
    await page.setViewportSize({ width, height });
    await page.evaluate((y) => window.scrollTo(0, y), area.top);
    await page.screenshot({ path: path.join(out, 'report-jdk.png'), clip: { x: 0, y: 0, width, height } });
    step('screenshots in ' + out);
  } catch (e) {
    fs.mkdirSync(out, { recursive: true });
    await page.screenshot({ path: path.join(out, 'report-jdk-top.png') }).catch(() => {});
    console.error('e2e: FAILED: ' + e.message);
    process.exitCode = 1;
  } finally {
    await close();
    server.close();
  }
}

function step(text) { console.log('e2e: ' + text); }

main().catch((e) => { console.error(e); process.exit(1); });
