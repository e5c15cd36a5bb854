// smoke.js - the dashboard in headless Chromium (run by tests/e2e/t5900-browser.sh).
//
//   PW_DIR=build/browser URL=http://127.0.0.1:PORT SHOTS=build/screenshots node smoke.js
//
// Logs in as admin, opens 站点与栏目, sorts the sites table, opens a site's column tree,
// logs out, logs in as a unit editor, and saves a screenshot of each step.  Any console
// error (a CSP violation, a script error) fails the run.  Later capabilities add steps
// (an editor answers an overdue item; the admin generates the bulletin and downloads it).
"use strict";
const path = require("path");
const fs = require("fs");
const os = require("os");
const { chromium } = require(path.join(process.env.PW_DIR, "node_modules", "playwright-core"));

const URL = process.env.URL;
const SHOTS = process.env.SHOTS;
const ACCOUNTS = JSON.parse(process.env.ACCOUNTS); // {admin: [name, pw], editor: [name, pw]}

function assert(cond, msg) {
  if (!cond) throw new Error("assertion failed: " + msg);
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(SHOTS, name), fullPage: true });
  console.log("screenshot " + path.join(SHOTS, name));
}

async function login(page, who) {
  await page.goto(URL + "/login");
  await page.fill("input[name=name]", ACCOUNTS[who][0]);
  await page.fill("input[name=password]", ACCOUNTS[who][1]);
  await Promise.all([page.waitForURL(URL + "/"), page.click("button[type=submit]")]);
  assert((await page.textContent("main h1")).trim() === "总览", "the overview after login");
}

async function logout(page) {
  await Promise.all([page.waitForURL(/\/login$/), page.click("header .account button")]);
}

(async () => {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "govsite-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run"],
    viewport: { width: 1366, height: 768 },
    locale: "zh-CN",
  });
  const errors = [];
  const page = context.pages()[0] || (await context.newPage());
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  page.on("pageerror", (e) => errors.push(String(e)));
  try {
    // 1. admin: overview with its panels
    await login(page, "admin");
    assert(await page.isVisible("#panel-registry"), "the registry panel");
    assert(await page.isVisible("#panel-classes svg"), "the chart");
    await shot(page, "01-admin-overview.png");

    // 2. 站点与栏目: the sites list, sorted by column count with the table script
    await Promise.all([page.waitForURL(URL + "/sites"), page.click("nav >> text=站点与栏目")]);
    const rows = await page.$$eval("#sites tbody tr", (t) => t.length);
    assert(rows >= 8, "sites listed: " + rows);
    await page.click("#sites thead th:nth-child(6)");
    await page.click("#sites thead th:nth-child(6)"); // descending
    const counts = await page.$$eval("#sites tbody tr td:nth-child(6)", (t) => t.map((c) => +c.textContent));
    for (let i = 1; i < counts.length; i++) assert(counts[i - 1] >= counts[i], "sorted descending: " + counts);
    await shot(page, "02-sites.png");

    // 3. a site's column tree
    await Promise.all([page.waitForURL(/\/sites\/\d+$/), page.click("#sites tbody tr:first-child td:first-child a")]);
    const cols = await page.$$eval("#columns tr.col", (t) => t.length);
    const groups = await page.$$eval("#columns tr.group", (t) => t.length);
    assert(cols >= 10 && groups >= 1, "column tree: " + cols + " columns, " + groups + " groups");
    await shot(page, "03-site-columns.png");

    // 4. 单位与用户 and the users page (admin only)
    await Promise.all([page.waitForURL(URL + "/units"), page.click("nav >> text=单位与用户")]);
    assert(await page.isVisible("a[href='/users']"), "admins see user management");
    await logout(page);

    // 5. a unit editor: sees the registry, not user management
    await login(page, "editor");
    assert((await page.textContent("header .account")).includes(ACCOUNTS.editor[2]), "the editor's unit in the header");
    await page.goto(URL + "/units");
    assert(!(await page.isVisible("a[href='/users']")), "editors do not see user management");
    const seen = errors.length;
    const resp = await page.goto(URL + "/users");
    assert(resp.status() === 403, "editor on /users: " + resp.status());
    // Chromium logs the deliberate 403 as a console error; only that one is expected.
    assert(errors.slice(seen).every((m) => m.includes("403")), "errors on /users: " + errors.slice(seen));
    errors.splice(seen);
    assert((await page.textContent("main")).includes("没有权限"), "the Chinese 403 page");
    await page.goto(URL + "/");
    await shot(page, "04-editor-overview.png");
    await logout(page);
    assert(errors.length === 0, "console errors: " + errors.join(" | "));
    console.log("browser smoke test passed");
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
})().catch((e) => {
  console.error(e.stack || String(e));
  process.exit(1);
});
