// Renders media/icon.svg (ours) to media/icon.png, the 128×128 Marketplace icon, with Debian's Chromium
// through playwright-core: `node media/renderIcon.js`. Not part of the package or the build.
'use strict';
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

(async () => {
  const svg = fs.readFileSync(path.join(__dirname, 'icon.svg'), 'utf8');
  const browser = await chromium.launch({ executablePath: process.env.CONVLENS_CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage({ viewport: { width: 128, height: 128 }, deviceScaleFactor: 1 });
    await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
    await page.locator('svg').screenshot({ path: path.join(__dirname, 'icon.png'), omitBackground: true });
  } finally {
    await browser.close();
  }
})().catch((err) => { console.error(err); process.exit(1); });
