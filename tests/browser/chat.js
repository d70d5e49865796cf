// The chat widget in a real browser (Debian chromium through playwright-core), with axe-core.
// Usage: BASE_URL=http://127.0.0.1:8000 SCREENSHOTS=docs/screenshots node tests/browser/chat.js
// Exits non-zero with the reason on the first failed check.
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

const BASE = process.env.BASE_URL || 'http://localhost:8000';
const SHOTS = process.env.SCREENSHOTS || '';
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

function check(condition, message) {
  if (!condition) { throw new Error('FAILED: ' + message); }
}

async function openChat(browser, width, height) {
  const page = await browser.newPage({ viewport: { width, height }, locale: 'fi-FI' });
  await page.goto(BASE + '/');
  if (await page.locator('.hyte-toggle').isVisible()) { await page.click('.hyte-toggle'); }
  await page.waitForSelector('#hyte-input');
  return page;
}

async function botCount(page) { return page.locator('.hyte-msg.bot').count(); }

async function waitForAnswer(page, before) {
  await page.waitForFunction((n) => document.querySelectorAll('.hyte-msg.bot').length > n, before,
    { timeout: 30000 });
  await page.waitForFunction(() => !document.querySelector('.hyte-typing:not([hidden])'), null, { timeout: 30000 });
}

async function typeAndSend(page, text) {
  const before = await botCount(page);
  await page.locator('#hyte-input').focus();
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
  await waitForAnswer(page, before);
}

async function axe(page, label) {
  await page.addScriptTag({ content: AXE });
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help }));
  });
  const bad = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  check(bad.length === 0, `${label}: axe found ${JSON.stringify(bad)}`);
  return result;
}

async function structure(page) {
  const facts = await page.evaluate(() => {
    const root = document.querySelector('.hyte-chat');
    const logs = [...document.querySelectorAll('[aria-live]')];
    return {
      lang: root && root.getAttribute('lang'),
      liveRegions: logs.length,
      nested: logs.some((el) => el.parentElement && el.parentElement.closest('[aria-live]')),
      polite: logs.every((el) => el.getAttribute('aria-live') === 'polite'),
      notice: (document.querySelector('.hyte-notice') || {}).textContent || '',
      focus: document.activeElement && document.activeElement.id,
    };
  });
  check(facts.lang === 'fi', 'widget has lang="fi"');
  check(facts.liveRegions === 1 && !facts.nested && facts.polite, 'the log is one polite live region, not nested');
  check(/automaattinen palvelu/i.test(facts.notice), 'notice "Tämä on automaattinen palvelu" is shown');
  return facts;
}

(async () => {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox'] });
  try {
    // Desktop, mouse and keyboard.
    const page = await openChat(browser, 1280, 900);
    await structure(page);
    await page.waitForFunction(() => document.querySelector('.hyte-chat').getAttribute('data-transport') === 'socket',
      null, { timeout: 15000 }).catch(() => { throw new Error('FAILED: the widget connects over socket.io'); });
    await typeAndSend(page, 'Mitä liikuntaryhmiä on ikääntyneille Raumalla?');
    const cards = await page.locator('.hyte-card').count();
    check(cards >= 1 && cards <= 5, `1-5 result cards, got ${cards}`);
    check(await page.locator('.hyte-card', { hasText: 'Esimerkkiaineisto' }).count() >= 1, 'cards are marked as demo data');
    const focusAfterSend = await page.evaluate(() => document.activeElement && document.activeElement.id);
    check(focusAfterSend === 'hyte-input', 'focus stays in the input after sending');
    let before = await botCount(page);
    await page.locator('.hyte-buttons button', { hasText: /^1\. / }).last().click();   // mouse
    await waitForAnswer(page, before);
    const details = await page.locator('.hyte-msg.bot').last().innerText();
    check(/Tiedot päivitetty/.test(details), 'details answer after clicking a result button');
    // Keyboard only: Tab from the input backwards to the last button and press Enter.
    await typeAndSend(page, 'kulttuuria Porissa');
    before = await botCount(page);
    await page.locator('#hyte-input').focus();
    const moreButton = page.locator('.hyte-buttons button', { hasText: 'Näytä lisää' }).last();
    await moreButton.focus();
    const ring = await moreButton.evaluate((el) => getComputedStyle(el).outlineStyle + ' ' + getComputedStyle(el).outlineWidth);
    check(!/^none/.test(ring), `keyboard focus is visible on buttons (${ring})`);
    await page.keyboard.press('Enter');
    await waitForAnswer(page, before);
    check(/Tässä lisää/.test(await page.locator('.hyte-log').innerText()), 'more results by keyboard');
    await typeAndSend(page, '2');  // typing a button's number
    await axe(page, 'desktop');
    if (SHOTS) { await page.screenshot({ path: path.join(SHOTS, 'chat-1280.png') }); }
    // The conversation survives a page load in the same tab.
    const logBefore = await page.locator('.hyte-msg').count();
    await page.reload();
    if (await page.locator('.hyte-toggle').isVisible()) { await page.click('.hyte-toggle'); }
    const stored = await page.evaluate(() => JSON.stringify(sessionStorage));
    check(!/Raumalla|kulttuuria/.test(stored), 'no message text in sessionStorage, only the session id');
    await typeAndSend(page, 'näytä lisää');
    check(!/Kerro ensin/.test(await page.locator('.hyte-msg.bot').last().innerText()),
      `the same conversation continues after reload (${logBefore} messages before)`);

    // socket.io blocked: the REST relay answers instead.
    const blocked = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await blocked.routeWebSocket(/socket\.io/, (ws) => ws.close());
    await blocked.goto(BASE + '/');
    await blocked.waitForSelector('#hyte-input');
    await typeAndSend(blocked, 'kulttuuria Oulussa');
    check(await blocked.locator('.hyte-card').count() >= 1, 'answers over REST when socket.io is blocked');
    check(await blocked.evaluate(() => document.querySelector('.hyte-chat').getAttribute('data-transport')) === 'rest',
      'the widget says it fell back to REST');

    // Phone.
    const phone = await openChat(browser, 360, 740);
    await typeAndSend(phone, 'onks kempeleessä vesijumppaa mummolle');
    check(await phone.locator('.hyte-card').count() >= 1, 'cards on a 360 px screen');
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
    check(!overflow, 'no horizontal scrolling at 360 px');
    await axe(phone, 'phone');
    if (SHOTS) { await phone.screenshot({ path: path.join(SHOTS, 'chat-360.png') }); }
    console.log('browser checks passed');
  } finally {
    await browser.close();
  }
})().catch((error) => { console.error(error.message || error); process.exit(1); });
