// The chat embedded in the demo portal page: token by postMessage, strict origins, height and events.
// Usage: BASE_URL=http://127.0.0.1:8000 OTHER_ORIGIN_URL=http://localhost:8000 node tests/browser/portal.js
const { chromium } = require('playwright-core');

const BASE = process.env.BASE_URL || 'http://127.0.0.1:8000';
const OTHER = process.env.OTHER_ORIGIN_URL || 'http://localhost:8000';

function check(condition, message) { if (!condition) { throw new Error('FAILED: ' + message); } }

async function login(page, base, municipality, role) {
  await page.goto(base + '/portaali');
  await page.selectOption('#municipality', municipality);
  await page.selectOption('#role', role);
  await page.click('#login button');
}

(async () => {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await login(page, BASE, '684', 'resident');
    const frame = page.frameLocator('#chat');
    await frame.locator('#hyte-input').waitFor({ timeout: 20000 });
    await frame.locator('#hyte-input').fill('etsin kulttuuria');
    await frame.locator('#hyte-input').press('Enter');
    await page.waitForFunction(() => (window.hyteEvents || []).some((e) => e.type === 'hyte:event'
      && e.name === 'conversation_started'), null, { timeout: 20000 });
    await frame.locator('.hyte-card').first().waitFor({ timeout: 30000 });
    const log = await frame.locator('.hyte-log').innerText();
    check(/Raumalla/.test(log) && !/Missä kunnassa/.test(log), 'the portal municipality is used, not asked');
    const events = await page.evaluate(() => window.hyteEvents);
    check(events.some((e) => e.type === 'hyte:height' && e.height > 100), 'the embed reports its height');
    const stored = await frame.locator('body').evaluate(() => JSON.stringify(localStorage) + JSON.stringify(sessionStorage));
    check(!/eyJ/.test(stored), 'the token is not kept in browser storage');

    if (process.env.SCREENSHOTS) { await page.screenshot({ path: require('path').join(process.env.SCREENSHOTS, 'portal-1280.png') }); }

    // A professional signed in to the portal gets the professional mode.
    const pro = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await login(pro, BASE, '609', 'professional');
    const proFrame = pro.frameLocator('#chat');
    await proFrame.locator('#hyte-input').waitFor({ timeout: 20000 });
    await proFrame.locator('#hyte-input').fill('liikunta ikäihmiset');
    await proFrame.locator('#hyte-input').press('Enter');
    await proFrame.locator('.hyte-card').first().waitFor({ timeout: 30000 });
    await pro.waitForTimeout(500);
    const proCards = await proFrame.locator('.hyte-card').count();
    check(proCards > 5, `a professional sees up to 10 results at once (got ${proCards})`);
    check(/Tulostettava yhteenveto/.test(await proFrame.locator('.hyte-log').innerText()), 'print view link for professionals');

    // A host page on an origin that is not allowed gets no chat.
    const other = await browser.newPage();
    await login(other, OTHER, '609', 'resident');
    await other.waitForTimeout(3000);
    let loaded = false;
    for (const f of other.frames()) {
      if (f !== other.mainFrame() && await f.locator('#hyte-input').count().catch(() => 0)) { loaded = true; }
    }
    check(!loaded, 'a host on another origin cannot start the embedded chat');
    console.log('portal checks passed');
  } finally {
    await browser.close();
  }
})().catch((error) => { console.error(error.message || error); process.exit(1); });
