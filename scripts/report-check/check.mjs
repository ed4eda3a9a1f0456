// Opens a report page (index.html of `totalrecall report`) in a real headless Chromium through
// puppeteer-core and checks what a reader sees: every <img> loaded and decoded with a non-zero
// size, every chart image painted (not one flat colour, checked on a canvas copy), no console
// error, no page error, no failed request. Writes a full-page screenshot when asked.
// Usage: node check.mjs CHROMIUM PAGE.html [SCREENSHOT.png]
import puppeteer from 'puppeteer-core';
import { pathToFileURL } from 'node:url';
import path from 'node:path';

const [chromium, page, shot] = process.argv.slice(2);
if (!chromium || !page) {
  console.error('usage: node check.mjs CHROMIUM PAGE.html [SCREENSHOT.png]');
  process.exit(64);
}
const problems = [];
const browser = await puppeteer.launch({
  executablePath: chromium,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--allow-file-access-from-files'],
});
try {
  const tab = await browser.newPage();
  await tab.setViewport({ width: 1200, height: 900 });
  tab.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warn') problems.push(`console ${m.type()}: ${m.text()}`); });
  tab.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  tab.on('requestfailed', (r) => problems.push(`request failed: ${r.url().slice(0, 80)} ${r.failure()?.errorText}`));
  const response = await tab.goto(pathToFileURL(path.resolve(page)).href, { waitUntil: 'load' });
  if (response && !response.ok()) problems.push(`page status ${response.status()}`);
  const images = await tab.evaluate(() => Array.from(document.images).map((img) => {
    const c = document.createElement('canvas');
    c.width = img.naturalWidth; c.height = img.naturalHeight;
    let colours = 0;
    if (img.complete && img.naturalWidth > 0) {
      const g = c.getContext('2d');
      g.drawImage(img, 0, 0);
      const data = g.getImageData(0, 0, c.width, c.height).data;
      const seen = new Set();
      for (let i = 0; i < data.length && seen.size < 64; i += 4 * 97) seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
      colours = seen.size;
    }
    return { alt: img.alt, complete: img.complete, width: img.naturalWidth, height: img.naturalHeight, colours };
  }));
  for (const im of images) {
    if (!im.complete || im.width === 0 || im.height === 0) problems.push(`image not rendered: ${im.alt}`);
    else if (im.colours < 4) problems.push(`image blank (${im.colours} colours): ${im.alt}`);
  }
  const tables = await tab.evaluate(() => document.querySelectorAll('table').length);
  if (images.length === 0) problems.push('no chart on the page');
  if (shot) await tab.screenshot({ path: shot, fullPage: true });
  console.log(JSON.stringify({ page, browser: await browser.version(), charts: images.length, tables,
    images, problems }, null, 2));
} finally {
  await browser.close();
}
process.exit(problems.length === 0 ? 0 : 1);
