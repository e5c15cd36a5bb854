// smoke.js - the dashboard in headless Chromium (run by tests/e2e/t5900-browser.sh).
//
//   PW_DIR=build/browser URL=http://127.0.0.1:PORT SHOTS=build/screenshots node smoke.js
//
// Logs in as admin, opens 站点与栏目, sorts the sites table, opens a site's column tree,
// logs out, logs in as a unit editor; then the work-item flow of issue 9: the editor opens
// an overdue item of their unit (CASE), records the reply and sees it closed with its
// judgement (逾期), and the admin sees it in the list of closed items; the admin's
// 问题 and 设置 pages; the admin generates the November 2018 bulletin on 报告 and
// downloads the DOCX.  A screenshot of each step.  Any console error (a CSP violation, a
// script error) fails the run.  The report steps (generate the bulletin, download the
// DOCX) come with the report pages.
"use strict";
const path = require("path");
const fs = require("fs");
const os = require("os");
const { chromium } = require(path.join(process.env.PW_DIR, "node_modules", "playwright-core"));

const URL = process.env.URL;
const SHOTS = process.env.SHOTS;
const ACCOUNTS = JSON.parse(process.env.ACCOUNTS); // {admin: [name, pw], editor: [name, pw]}
const CASE = process.env.CASE; // an overdue item of the editor's unit

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
    acceptDownloads: true,
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
    assert(await page.isVisible("#panel-cases-due"), "the items due panel");
    await shot(page, "04-editor-overview.png");

    // 6. 办件: the editor's overdue items, then the item: deadline, explanation, steps
    await Promise.all([page.waitForURL(/\/cases$/), page.click("nav >> text=办件")]);
    await page.selectOption("select[name=state]", "overdue");
    await Promise.all([page.waitForURL(/state=overdue/), page.click("form.filters button[type=submit]")]);
    const listed = await page.$$eval("#cases tbody tr td:first-child", (t) => t.map((c) => c.textContent.trim()));
    assert(listed.includes(CASE), "the overdue item is listed: " + listed.join(","));
    await Promise.all([page.waitForURL(/\/cases\/[^?]+$/), page.click(`#cases a:text-is("${CASE}")`)]);
    assert((await page.textContent("main h1")).includes("已逾期"), "the item is overdue");
    assert(await page.isVisible("#case-deadline li.due"), "the deadline's explanation");
    assert(await page.isVisible("#step-answer"), "the unit may answer");
    assert(!(await page.isVisible("#step-assign")), "but not assign (the office's step)");
    await shot(page, "05-editor-case.png");

    // 7. the reply: closed, judged late, recorded in the timeline
    await page.fill("#step-answer textarea[name=reply]", "经核实，已按规定答复。");
    await page.check("#step-answer input[name=public]");
    await Promise.all([page.waitForURL(/done=1$/), page.click("#step-answer button[type=submit]")]);
    const h1 = await page.textContent("main h1");
    assert(h1.includes("已答复") && h1.includes("逾期"), "closed and judged late: " + h1);
    assert((await page.textContent("#case-timeline")).includes("答复"), "the reply in the timeline");
    assert(!(await page.isVisible("#step-answer")), "no second reply");
    await shot(page, "06-editor-case-answered.png");
    await logout(page);

    // 8. the admin sees it among the closed items, with its judgement
    await login(page, "admin");
    await page.goto(URL + "/cases?state=closed&q=" + encodeURIComponent(CASE));
    const row = await page.textContent("#cases tbody");
    assert(row.includes(CASE) && row.includes("逾期"), "the admin's list: " + row);
    await shot(page, "07-admin-cases.png");

    // 9. 问题 and 设置
    await Promise.all([page.waitForURL(/\/findings$/), page.click("nav >> text=问题")]);
    await shot(page, "08-admin-findings.png");
    await page.goto(URL + "/settings/wording");
    await page.fill("#wording-test textarea[name=text]", "市卫生和计划生育局发布通知");
    await page.fill("#wording-test input[name=date]", "2019-06-01");
    await Promise.all([page.waitForURL(/\/settings\/wording\/test$/), page.click("#wording-test button[type=submit]")]);
    assert((await page.textContent("#wording-hits")).includes("卫生健康局"), "the wording tester");
    await shot(page, "09-admin-wording.png");

    // 10. 报告: the November 2018 bulletin as DOCX, downloaded
    await Promise.all([page.waitForURL(/\/reports$/), page.click("nav >> text=报告")]);
    await page.fill("#report-monthly input[name=month]", "2018-11");
    await page.fill("#report-monthly input[name=as_of]", "2018-12-01");
    await page.selectOption("#report-monthly select[name=format]", "docx");
    await shot(page, "10-admin-reports.png");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.click("#report-monthly button[type=submit]"),
    ]);
    assert(download.suggestedFilename().endsWith(".docx"), "a .docx: " + download.suggestedFilename());
    await download.saveAs(path.join(SHOTS, "bulletin-2018-11.docx"));
    console.log("download " + path.join(SHOTS, "bulletin-2018-11.docx"));
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
