import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Page } from 'playwright-core';
import { startTestServer } from '#tests/support/server.ts';
import { artifactPath, keepFailureEvidence, openBrowserPage, signIn } from '#tests/support/browser.ts';
import type { BrowserPage } from '#tests/support/browser.ts';
import { hasChromium, required } from '#tests/support/components.ts';
import { usccCheckCharacter } from '#common/uscc.ts';

/**
 * Issue 6 §2, "must keep verbatim … renders as text in the web app": hostile text stored in the
 * enterprise fields the web app shows comes back on the list and the detail page as exactly the
 * characters typed — no script runs, no dialog opens, no element is injected. Every script payload
 * would set `window.__pwned` or open a dialog if the page ever parsed it as markup.
 */
const MARK = '渲染探针';
const NAMES = [
  `<script>window.__pwned='script'</script>${MARK}1`,
  `<img src=x onerror="window.__pwned='img'">${MARK}2`,
  `"><svg/onload=alert('svg')>${MARK}3`,
  `${MARK}4\u202Excod.exe\u202C`,
  `Cafe\u0301 Z\u0351\u0352a\u0308\u0335 ${MARK}5`,
  `🚀科技👨‍👩‍👧👍🏽${MARK}6`,
  `&lt;b&gt;${MARK}7&amp;&#x27;`,
  `שלום ${MARK}8 شركة`,
];
const ADDRESS = `<iframe src="javascript:window.__pwned='iframe'"></iframe>地址\u202E反向\u202C`;
const CONTACT = `<img src=x onerror=alert('contact')>联系人`;
const GROUP = `<svg onload="window.__pwned='group'">集团👍🏽`;
const TAG = `<b onclick=f()>标签`;

const runs = hasChromium() || required('BROWSER');

/** Signs in over HTTP and registers the hostile enterprises through the real API. */
async function createEnterprises(serverUrl: string): Promise<{ id: string; name: string }[]> {
  const login = await fetch(`${serverUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'kejing-demo' }) });
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const headers = { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken };
  const units = (await (await fetch(`${serverUrl}/api/units`, { headers })).json()) as { items: { id: string; name: string }[] };
  const townId = units.items.find((u) => u.name === '何店镇')!.id;
  const created: { id: string; name: string }[] = [];
  for (const [i, name] of NAMES.entries()) {
    const body = { uscc: usccFor(i), name, townId, industryCode: '3311', address: ADDRESS, contactName: CONTACT, groupName: GROUP, tags: [TAG] };
    const response = await fetch(`${serverUrl}/api/enterprises`, { method: 'POST', headers, body: JSON.stringify(body) });
    if (response.status !== 200) throw new Error(`create ${JSON.stringify(name)}: ${response.status} ${await response.text()}`);
    created.push({ id: ((await response.json()) as { id: string }).id, name });
  }
  return created;
}

/** A valid USCC (GB 32100 check character) for the i-th probe. */
function usccFor(i: number): string {
  const first17 = `91421303MA4R${String(700 + i).padStart(5, '0')}`;
  return first17 + usccCheckCharacter(first17);
}

/** Whether the page holds this string as one text node or one element's whole text: nothing of it was parsed as markup. */
const showsExactly = (page: Page, text: string) =>
  page.evaluate((t) => {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) if (node.nodeValue === t) return true;
    return [...document.querySelectorAll('body *')].some((el) => el.textContent === t);
  }, text);

/** What a successful injection would leave behind. */
const injected = (page: Page) =>
  page.evaluate(() => ({
    pwned: (window as unknown as { __pwned?: unknown }).__pwned ?? null,
    elements: document.querySelectorAll('img[onerror], svg[onload], iframe, [onclick]').length,
    scripts: [...document.scripts].filter((s) => s.text.includes('__pwned')).length,
  }));

describe.skipIf(!runs)('hostile text renders as text in the web app', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: BrowserPage;
  let page: Page;
  let consoleErrors: string[] = [];
  const dialogs: string[] = [];
  let created: { id: string; name: string }[] = [];

  keepFailureEvidence(() => page);

  beforeAll(async () => {
    server = await startTestServer({ demo: true });
    created = await createEnterprises(server.url);
    browser = await openBrowserPage();
    ({ page, consoleErrors } = browser);
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await signIn(page, server.url, 'admin');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('lists every hostile name exactly as typed, with nothing injected', async () => {
    await page.goto(`${server.url}/enterprises`);
    await page.getByLabel('关键字').fill(MARK);
    await page.getByRole('button', { name: /查\s*询/ }).click();
    await expect.poll(() => page.locator('.ant-table-row').count()).toBe(NAMES.length);
    for (const name of NAMES) expect(await showsExactly(page, name), JSON.stringify(name)).toBe(true);
    await page.screenshot({ path: artifactPath('hostile-list.png'), fullPage: true });
    expect(await injected(page)).toEqual({ pwned: null, elements: 0, scripts: 0 });
  });

  it('shows each detail page’s name, address, contact, group and tag exactly, with nothing injected', async () => {
    for (const e of created) {
      await page.goto(`${server.url}/enterprises/${e.id}`);
      await expect.poll(() => showsExactly(page, ADDRESS)).toBe(true);
      for (const text of [e.name, CONTACT, GROUP, TAG]) expect(await showsExactly(page, text), JSON.stringify(text)).toBe(true);
      expect(await injected(page)).toEqual({ pwned: null, elements: 0, scripts: 0 });
    }
    await page.screenshot({ path: artifactPath('hostile-detail.png'), fullPage: true });
    expect(dialogs).toEqual([]);
  });

  it('left nothing on the browser console', () => {
    expect(consoleErrors).toEqual([]);
  });
});
