// Starts headless Chromium (Debian's chromium, driven by playwright-core) the way every e2e script
// here wants it: a throw-away profile, no sandbox (root in CI), no background traffic.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');

/** Returns { context, page, close } for a browser at executablePath with the given viewport. */
async function launch(executablePath, viewport) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'aar-e2e-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
    viewport,
  });
  const page = context.pages()[0] || await context.newPage();
  const close = async () => {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  };
  return { context, page, close };
}

module.exports = { launch };
