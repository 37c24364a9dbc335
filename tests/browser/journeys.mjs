// marketrelay end-to-end journeys in headless Chromium, with real clicks and
// typing. Started by tests/api/browser.rs, which seeds the service and reads
// the outbox afterwards; run alone, it needs the same environment:
//
//   MARKETRELAY_BASE_URL        http://127.0.0.1:PORT
//   MARKETRELAY_SELLER_INVITE   invitation link for the seller
//   MARKETRELAY_SELLER_EMAIL    the seller's sign-in email
//   MARKETRELAY_STAFF_INVITE    invitation link for the staff member
//   MARKETRELAY_STAFF_EMAIL     the staff member's sign-in email
//   MARKETRELAY_PASSWORD        the password both set through their invitation
//   MARKETRELAY_BUYER_PHONE     the number in the buyer's mail (must never show)
//   MARKETRELAY_REPLY_PHONE     the number the seller types (marked, then removed)
//   MARKETRELAY_ORDER_ID        the order id to search for in the console
//   MARKETRELAY_SELLER_NAME     the seller's name in the console's sellers list
//   MARKETRELAY_WARNING_REASON  the reason of the warning staff gave the seller
//   MARKETRELAY_HELP_DOMAIN     a help domain the operator gave the seller
//   MARKETRELAY_SCREENSHOTS     where to write the PNGs
//   MARKETRELAY_CHROMIUM        the browser (default /usr/bin/chromium)
//
// Exits 0 after printing "journeys passed"; any failed check exits 1.

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';

// Pages photographed after the journeys, signed in as the given role. A new
// page gets its screenshot by adding one line here.
const PAGE_SHOTS = [
  { role: 'staff', file: 'console-dashboard.png', path: '/console/dashboard' },
  { role: 'staff', file: 'console-conversations.png', path: '/console/conversations' },
  { role: 'staff', file: 'console-access-log.png', path: '/console/access-log' },
  { role: 'seller', file: 'phone-inbox.png', path: '/inbox', viewport: { width: 390, height: 844 } },
  { role: 'staff', file: 'phone-console-dashboard.png', path: '/console/dashboard', viewport: { width: 390, height: 844 } },
  // The whole document is a very long page: its first screen shows what it
  // is. Swagger UI's own markup is not ours to hold to the accessibility check.
  { role: 'staff', file: 'api-docs.png', path: '/api/docs/', ready: '.opblock-tag', fullPage: false, ours: false },
];

const VIEWPORT = { width: 1280, height: 900 };
// Generous: CI runs these beside the whole suite on two cores.
const TIMEOUT_MS = 30_000;

function env(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

const base = env('MARKETRELAY_BASE_URL').replace(/\/$/, '');
const shots = env('MARKETRELAY_SCREENSHOTS');
const password = env('MARKETRELAY_PASSWORD');
const buyerPhone = env('MARKETRELAY_BUYER_PHONE');
const replyPhone = env('MARKETRELAY_REPLY_PHONE');
const orderId = env('MARKETRELAY_ORDER_ID');
const reportUrl = env('MARKETRELAY_REPORT_URL');
const seller = { invite: env('MARKETRELAY_SELLER_INVITE'), email: env('MARKETRELAY_SELLER_EMAIL') };
const staff = { invite: env('MARKETRELAY_STAFF_INVITE'), email: env('MARKETRELAY_STAFF_EMAIL') };
const sellerName = env('MARKETRELAY_SELLER_NAME');
const warningReason = env('MARKETRELAY_WARNING_REASON');
const helpDomain = env('MARKETRELAY_HELP_DOMAIN');

let checks = 0;
function check(condition, what) {
  if (!condition) throw new Error(`check failed: ${what}`);
  checks += 1;
  console.log(`ok ${checks} - ${what}`);
}

/** The digits of a number, to catch it however it is spaced. */
function digits(text) {
  return text.replace(/\D/g, '');
}

function showsNumber(text, number) {
  return digits(text).includes(digits(number).slice(-7));
}

// axe-core, evaluated through the DevTools protocol, which the pages' CSP
// does not govern, so the pages keep their own policy while being checked.
const axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Every page photographed must pass axe's WCAG 2 A/AA rules with nothing serious or critical. */
async function accessible(page, where) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
  );
  const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const detail = serious
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`)
    .join('; ');
  check(serious.length === 0, `${where} has no serious accessibility violations ${detail}`);
}

async function screenshot(page, file, fullPage = true, ours = true) {
  if (ours) await accessible(page, file.replace(/\.png$/, ''));
  await page.screenshot({ path: join(shots, file), fullPage });
  console.log(`screenshot ${file}`);
}

function path(page) {
  const url = new URL(page.url());
  return url.pathname + url.search;
}

/** A fresh browser context whose page fails the run on any script error or CSP report. */
async function newPage(browser, options = {}) {
  const context = await browser.newContext({ viewport: VIEWPORT, locale: 'en-GB', ...options });
  context.setDefaultTimeout(TIMEOUT_MS);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    const url = m.location().url || '';
    // Chromium asks every site for a favicon on its own; there is none.
    if (m.type() === 'error' && !url.endsWith('/favicon.ico')) problems.push(`console error: ${m.text()} ${url}`);
  });
  page.problems = problems;
  return page;
}

function noProblems(page, where) {
  check(page.problems.length === 0, `no script errors or CSP violations on ${where} ${page.problems.join('; ')}`);
}

/** Opens the invitation, sets the password with the keyboard, signs out, and signs in again at /login. */
async function signUpAndSignIn(page, who, home, shot) {
  await page.goto(who.invite);
  check(await page.locator('#password').evaluate((el) => el === document.activeElement), 'the password field has focus on the invitation page');
  await page.keyboard.type(password);
  await page.keyboard.press('Tab');
  await page.keyboard.type(password);
  await Promise.all([page.waitForURL(`${base}${home}`), page.keyboard.press('Enter')]);
  check(path(page) === home, `setting the password signs in and lands on ${home}`);
  await Promise.all([page.waitForURL(`${base}/login`), page.getByRole('button', { name: 'Sign out' }).click()]);
  check(path(page) === '/login', 'signing out returns to the sign-in page');

  if (shot) await screenshot(page, shot);
  await signIn(page, who, home);
}

async function signIn(page, who, home) {
  if (path(page) !== '/login') await page.goto(`${base}/login`);
  await page.locator('#email').focus();
  await page.keyboard.type(who.email);
  await page.keyboard.press('Tab');
  await page.keyboard.type(password);
  await Promise.all([page.waitForURL(`${base}${home}`), page.keyboard.press('Enter')]);
  check(path(page) === home, `signing in at /login lands on ${home}`);
}

async function sellerJourney(browser) {
  const page = await newPage(browser);
  await signUpAndSignIn(page, seller, '/inbox', 'sign-in.png');

  const row = page.getByRole('link', { name: 'Jane Buyer' });
  check(await row.isVisible(), "the buyer's conversation is listed in the inbox");
  await screenshot(page, 'inbox.png');
  await Promise.all([page.waitForURL(/\/inbox\/[0-9a-f-]+$/), row.click()]);

  const received = page.locator('.message.from-buyer .body').first();
  const text = await received.textContent();
  check(text.includes('[phone removed]'), "the buyer's message shows the [phone removed] placeholder");
  check(!showsNumber(await page.locator('main').textContent(), buyerPhone), "the buyer's number is nowhere on the thread page");

  const draft = page.getByLabel(/Your message to/);
  await draft.focus();
  await page.keyboard.type(`Thanks Jane! It is in stock. The shop phone is ${replyPhone} for the record.`, { delay: 15 });
  // Previews of the half-typed draft may come first; wait for the whole of it.
  await page.locator('#live-preview .delivered', { hasText: 'for the record.' }).waitFor();
  const mark = page.locator('#live-preview mark');
  const marked = await mark.allTextContents();
  check(marked.some((m) => m.includes(replyPhone)), `the live preview marks the typed number (${marked.join(' | ')})`);
  check((await mark.first().getAttribute('title')).startsWith('phone'), 'the mark is titled with its phone rule');
  const live = await page.locator('#live-preview').textContent();
  check(live.includes('The marked parts would be removed before delivery.'), 'the live preview states the verdict');
  check(live.includes('[phone removed]'), 'the live preview shows what the buyer would receive');
  await screenshot(page, 'inbox-thread-live-preview.png');

  await Promise.all([page.waitForURL(/notice=queued$/), page.getByRole('button', { name: 'Send reply' }).click()]);
  check((await page.getByRole('status').first().textContent()).includes('on its way'), 'sending confirms the reply is on its way');
  const sent = (await page.locator('.message.from-seller .body').last().textContent()) || '';
  check(sent.includes('[phone removed]') && sent.includes('It is in stock.'), 'the thread shows the sent reply with the number removed');
  check(!showsNumber(await page.locator('main').textContent(), replyPhone), "the seller's number is not on the page after sending");
  noProblems(page, 'the seller pages');
  return page;
}

/** With JavaScript off, the form's Preview button still shows what would change. */
async function sellerWithoutScript(browser) {
  const page = await newPage(browser, { javaScriptEnabled: false });
  await signIn(page, seller, '/inbox');
  await Promise.all([page.waitForURL(/\/inbox\/[0-9a-f-]+$/), page.getByRole('link', { name: 'Jane Buyer' }).click()]);
  await page.getByLabel(/Your message to/).fill(`Or text me on ${replyPhone}.`);
  await Promise.all([page.waitForURL(/\/preview$/), page.getByRole('button', { name: 'Preview', exact: true }).click()]);
  const preview = page.locator('section.preview');
  check((await preview.locator('mark').allTextContents()).some((m) => m.includes(replyPhone)), 'without JavaScript the Preview button marks the number');
  check((await page.locator('#live-preview').textContent()) === '', 'without JavaScript the live preview stays empty');
  await page.context().close();
}

/** The buyer follows the signed link in the seller's mail and reports it, without signing in. */
async function buyerReport(browser) {
  const page = await newPage(browser);
  await page.goto(reportUrl);
  check((await page.locator('main').textContent()).includes('Gadget Shop'), 'the report page names the seller');
  await page.getByLabel(/Reason/).selectOption({ index: 1 });
  await page.getByLabel(/Anything else/).fill('Not my order.');
  await screenshot(page, 'buyer-report.png');
  await page.getByRole('button', { name: 'Report this message' }).click();
  await page.getByRole('status').waitFor();
  check((await page.getByRole('status').textContent()).length > 0, 'filing the report is confirmed');
  check((await page.getByRole('button', { name: 'Report this message' }).count()) === 0, 'a filed report shows no second form');
  noProblems(page, 'the report page');
  await page.context().close();
}

/** Staff find the buyer's report in the queue and resolve it with a note. */
async function resolveReport(page) {
  check((await page.getByRole('link', { name: 'Reports 1 open' }).count()) === 1, 'the navigation counts the open report');
  await Promise.all([page.waitForURL(/\/console\/reports$/), page.getByRole('link', { name: /^Reports( 1 open)?$/ }).click()]);
  const report = page.locator('ol.queue > li').filter({ hasText: 'Not my order.' });
  check((await report.count()) === 1, "the reports queue lists the buyer's report with their comment");
  await screenshot(page, 'console-reports.png');
  await report.getByLabel('Resolution note').fill('Checked with the seller.');
  await Promise.all([page.waitForURL(/notice=resolved$/), report.getByRole('button', { name: 'Resolve' }).click()]);
  check((await page.locator('ol.queue > li').count()) === 0, 'the resolved report leaves the queue');
}

async function staffJourney(browser) {
  const page = await newPage(browser);
  await signUpAndSignIn(page, staff, '/console', null);

  const held = page.locator('ol.queue > li').filter({ hasText: 'Paying for my order' });
  check((await held.count()) === 1, 'the review queue lists the held buyer message');
  const rules = await held.locator('code.rule').allTextContents();
  check(rules.some((r) => r.startsWith('payment.')), `the held message shows its rule (${rules.join(', ')})`);
  await screenshot(page, 'console-queue.png');

  const link = held.locator('h2 a');
  await Promise.all([page.waitForURL(/\/console\/messages\/[0-9a-f-]+$/), link.click()]);
  const messageId = path(page).split('/').pop();
  check((await page.locator('.compare mark').count()) > 0, 'the message view marks the findings in what was received');
  check(await page.getByRole('heading', { name: 'As delivered' }).isVisible(), 'the message view shows what would be delivered');
  await screenshot(page, 'console-message.png');

  await page.getByLabel('Note').focus();
  await page.keyboard.type('Buyer asked about payment; checked, released.');
  await Promise.all([page.waitForURL(/notice=released$/), page.getByRole('button', { name: 'Release' }).click()]);
  check(
    (await page.locator(`a[href="/console/messages/${messageId}"]`).count()) === 0,
    'the released message is gone from the queue'
  );

  await resolveReport(page);

  await Promise.all([page.waitForURL(/\/console\/conversations$/), page.getByRole('link', { name: 'Conversations', exact: true }).click()]);
  await page.getByLabel(/Search by order id/).focus();
  await page.keyboard.type(orderId);
  await Promise.all([page.waitForURL(/\/console\/conversations\?q=/), page.keyboard.press('Enter')]);
  check((await page.locator('table.list tbody tr').count()) >= 1, 'searching by order id finds the conversation');
  const bobRow = page.locator('table.list tbody tr').filter({ hasText: 'Bob Buyer' });
  await Promise.all([page.waitForURL(/\/console\/conversations\/[0-9a-f-]+$/), bobRow.getByRole('link', { name: 'Bob Buyer' }).click()]);
  check((await page.getByRole('heading', { name: 'As received' }).count()) >= 2, "the conversation's audit view shows each message as received");
  check((await page.locator('.compare mark').count()) > 0, "the conversation's audit view marks the findings");
  await screenshot(page, 'console-conversation.png');

  await Promise.all([page.waitForURL(/\/console\/access-log$/), page.getByRole('link', { name: 'Access log', exact: true }).click()]);
  const read = page.locator('table.list tbody tr').filter({ hasText: messageId });
  const vias = await read.locator('td:last-child').allTextContents();
  check(vias.includes('web.message'), `the access log lists the staff read of ${messageId} (${vias.join(', ')})`);
  await sellerPages(page);
  noProblems(page, 'the console pages');
  console.log(`released ${messageId}`);
  return page;
}

/** Staff go from the sellers list to one seller's record, then keep that seller's help domains. */
async function sellerPages(page) {
  await Promise.all([page.waitForURL(/\/console\/sellers$/), page.getByRole('link', { name: 'Sellers', exact: true }).click()]);
  const row = page.locator('table tbody tr').filter({ hasText: sellerName });
  check((await row.count()) === 1, 'the sellers list shows the seller');
  await screenshot(page, 'console-sellers.png');
  await Promise.all([page.waitForURL(/\/console\/sellers\/[0-9a-f-]+$/), row.getByRole('link', { name: sellerName }).click()]);
  for (const heading of ['Violations', 'Warnings', 'Buyer reports']) {
    check(await page.getByRole('heading', { name: heading, exact: true }).isVisible(), `the seller's record has a ${heading} section`);
  }
  const warnings = page.locator('section[aria-labelledby="warnings-heading"] tbody tr');
  check((await warnings.filter({ hasText: warningReason }).count()) === 1, "the record lists the staff's warning with its reason");
  const violations = page.locator('section[aria-labelledby="violations-heading"] tbody tr');
  check((await violations.filter({ hasText: 'warned' }).count()) === 1, 'the warning counts as a violation');
  const reports = page.locator('section[aria-labelledby="reports-heading"] tbody tr');
  check((await reports.count()) === 1, "the record lists Bob's report");
  check(await page.getByRole('heading', { name: /^Response time, last \d+ days$/ }).isVisible(), "the record shows the seller's response time");
  await screenshot(page, 'console-seller.png');

  await Promise.all([page.waitForURL(/\/help-domains$/), page.getByRole('link', { name: 'Links this seller may send' }).click()]);
  check((await page.locator('tbody tr').filter({ hasText: helpDomain }).count()) === 1, 'the help domains page lists the domain the operator added');
  await page.getByLabel('Domain', { exact: true }).focus();
  await page.keyboard.type('Support.Gadget-Manuals.com');
  await Promise.all([page.waitForURL(/notice=added$/), page.getByRole('button', { name: 'Add domain' }).click()]);
  check((await page.locator('tbody tr').filter({ hasText: 'support.gadget-manuals.com' }).count()) === 1, 'an added domain is listed lower-case');
  await page.getByLabel('Domain', { exact: true }).fill('co.uk');
  await Promise.all([page.waitForURL(/notice=invalid$/), page.getByRole('button', { name: 'Add domain' }).click()]);
  check(await page.getByRole('status').filter({ hasText: 'public suffixes' }).isVisible(), 'a public suffix is refused with a reason');
  await screenshot(page, 'console-help-domains.png');
  await Promise.all([page.waitForURL(/notice=removed$/), page.getByRole('button', { name: `Remove ${helpDomain}` }).click()]);
  check((await page.locator('tbody tr').filter({ hasText: helpDomain }).count()) === 0, 'a removed domain leaves the list');
  console.log(`help domains changed`);
}

async function photographPages(pages) {
  for (const shot of PAGE_SHOTS) {
    const page = pages[shot.role];
    await page.setViewportSize(shot.viewport ?? VIEWPORT);
    const response = await page.goto(`${base}${shot.path}`);
    check(response.status() === 200, `${shot.path} answers 200 for ${shot.role}`);
    if (shot.ready) await page.locator(shot.ready).first().waitFor();
    if (shot.viewport) {
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      check(width <= shot.viewport.width, `${shot.path} fits a ${shot.viewport.width}px phone screen without scrolling sideways (${width}px)`);
    }
    await screenshot(page, shot.file, shot.fullPage ?? true, shot.ours ?? true);
  }
}

async function main() {
  await mkdir(shots, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.MARKETRELAY_CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  try {
    const sellerPage = await sellerJourney(browser);
    await sellerWithoutScript(browser);
    await buyerReport(browser);
    const staffPage = await staffJourney(browser);
    await photographPages({ seller: sellerPage, staff: staffPage });
  } finally {
    await browser.close();
  }
  console.log(`journeys passed (${checks} checks)`);
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});
