// The page of `annals serve` in a real browser: Debian's chromium, headless,
// driven over the DevTools protocol (chrome-remote-interface).
// Usage: node serve_test.js URL DATA_DIR CHROMIUM [SCREENSHOT.png]
// Prints one line per check and "N passed, N failed"; exits 1 on a failure.
'use strict';

const CDP = require('chrome-remote-interface');
const fs = require('fs');
const path = require('path');
const http = require('http');
const {launch, sleep} = require('./chromium');

const [url, dataDir, chromium, screenshot] = process.argv.slice(2);
const SLOW = Number(process.env.ANNALS_TEST_SLOW || 1);   /* under valgrind: wait longer */
let passed = 0, failed = 0;
const consoleErrors = [];

function check(ok, what, detail) {
  if (ok) passed++;
  else { failed++; console.log('FAIL: ' + what + (detail !== undefined ? ': ' + JSON.stringify(detail) : '')); }
}

function getJson(p) {
  return new Promise((resolve, reject) => {
    http.get(new URL(p, url), (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { body += c; });
      res.on('end', () => { try { resolve(JSON.parse(body)); } catch (e) { reject(e); } });
    }).on('error', reject);
  });
}

async function main() {
  const browser = await launch(chromium);
  let client;
  try {
    client = await CDP({port: browser.port});
    const {Page, Runtime, Log, Input, Emulation} = client;
    Runtime.consoleAPICalled((e) => {
      if (e.type === 'error' || e.type === 'assert')
        consoleErrors.push(e.args.map((a) => a.value ?? a.description).join(' '));
    });
    Runtime.exceptionThrown((e) => consoleErrors.push(e.exceptionDetails.exception
      ? e.exceptionDetails.exception.description : e.exceptionDetails.text));
    Log.entryAdded((e) => { if (e.entry.level === 'error') consoleErrors.push(e.entry.text + ' ' + (e.entry.url || '')); });
    await Promise.all([Page.enable(), Runtime.enable(), Log.enable()]);
    await Emulation.setDeviceMetricsOverride({width: 1400, height: 900, deviceScaleFactor: 1, mobile: false});

    const evaluate = async (expr) => {
      const r = await Runtime.evaluate({expression: expr, returnByValue: true, awaitPromise: true});
      if (r.exceptionDetails) throw new Error(expr + ': ' + r.exceptionDetails.text);
      return r.result.value;
    };
    const waitFor = async (expr, what) => {
      for (let i = 0; i < 200 * SLOW; i++) {
        if (await evaluate(expr)) return true;
        await sleep(100);
      }
      check(false, 'timed out waiting for ' + what);
      return false;
    };
    /* A real click: the mouse pressed and released at the element's middle. */
    const click = async (selector) => {
      const box = await evaluate(`(() => { const el = document.querySelector(${JSON.stringify(selector)});
        if (!el) return null; el.scrollIntoView({block: 'center'}); const r = el.getBoundingClientRect();
        return {x: r.left + r.width / 2, y: r.top + r.height / 2}; })()`);
      if (!box) { check(false, 'no element ' + selector); return; }
      for (const type of ['mousePressed', 'mouseReleased'])
        await Input.dispatchMouseEvent({type, x: box.x, y: box.y, button: 'left', clickCount: 1});
    };
    const listIds = () => evaluate(`[...document.querySelectorAll('#list li')].map((li) => li.dataset.id)`);
    const idle = async () => {   /* the page has drawn what it last asked for */
      await sleep(300);
      await waitFor(`document.documentElement.dataset.busy === '0'`, 'the page to settle');
    };

    // 1. The page opens with every event listed, as the API gives them.
    await Page.navigate({url});
    await Page.loadEventFired();
    await waitFor(`document.querySelectorAll('#list li').length > 0`, 'the first list');
    await idle();
    let api = await getJson('/api/events?limit=5000');
    check(JSON.stringify(await listIds()) === JSON.stringify(api.events.map((e) => e.id)),
          'the first view lists every event', await listIds());
    check(await evaluate(`document.querySelectorAll('#timeline .mark').length`) === api.total,
          'one mark per event');
    check(await evaluate(`document.getElementById('total').textContent`) === api.total + ' events', 'total shown');

    // 2. A facet value, clicked: the list is exactly the API's answer, the URL says it.
    await click('#facets [data-filter="actor"][data-value="islamic-state"]');
    await waitFor(`location.search === '?actor=islamic-state'`, 'the URL to name the actor');
    await idle();
    api = await getJson('/api/events?actor=islamic-state&limit=5000');
    check(JSON.stringify(await listIds()) === JSON.stringify(api.events.map((e) => e.id)),
          'the facet lists exactly the API\'s events', await listIds());
    const facetCount = await evaluate(`document.querySelector('#facets [data-value="islamic-state"] .n').textContent`);
    check(Number(facetCount) === api.total, 'the facet count is the number of its events', facetCount);

    // 3. Zoom: the buttons, the wheel and the keyboard; the list follows the view.
    const range0 = await evaluate(`document.getElementById('range').textContent`);
    await click('#zoom-in');
    await click('#zoom-in');
    await click('#zoom-in');
    await idle();
    const range1 = await evaluate(`document.getElementById('range').textContent`);
    check(range1 !== range0, 'zoom in narrows the range', [range0, range1]);
    const view = await evaluate(`document.documentElement.dataset.view`);
    const [vfrom, vto] = view.split(' ');
    api = await getJson(`/api/events?actor=islamic-state&from=${vfrom}&to=${vto}&limit=5000`);
    check(JSON.stringify(await listIds()) === JSON.stringify(api.events.map((e) => e.id)),
          'the list follows the visible range', {view, list: await listIds()});
    const box = await evaluate(`(() => { const r = document.getElementById('timeline').getBoundingClientRect(); return {x: r.left + r.width * 0.6, y: r.top + 30}; })()`);
    await Input.dispatchMouseEvent({type: 'mouseWheel', x: box.x, y: box.y, deltaX: 0, deltaY: 300});
    await idle();
    check(await evaluate(`document.getElementById('range').textContent`) !== range1, 'the wheel zooms');
    await evaluate(`document.getElementById('timeline').focus()`);
    const range2 = await evaluate(`document.getElementById('range').textContent`);
    await Input.dispatchKeyEvent({type: 'keyDown', key: 'ArrowLeft', code: 'ArrowLeft', windowsVirtualKeyCode: 37});
    await Input.dispatchKeyEvent({type: 'keyUp', key: 'ArrowLeft', code: 'ArrowLeft', windowsVirtualKeyCode: 37});
    await idle();
    check(await evaluate(`document.getElementById('range').textContent`) !== range2, 'the arrow keys pan');
    await click('#zoom-reset');
    await idle();

    // 4. An event panel: what show shows, with the editor link.
    const first = (await listIds())[0];
    await click(`#list li[data-id="${first}"] button`);
    await waitFor(`!document.getElementById('panel').hidden`, 'the event panel');
    const ev = await getJson('/api/events/' + first);
    check(await evaluate(`document.getElementById('panel-title').textContent`) === ev.event.title, 'panel title');
    check(await evaluate(`document.getElementById('panel-body').textContent.includes(${JSON.stringify(ev.file + ':' + ev.line)})`),
          'panel says where the event is defined');
    check(ev.editor && await evaluate(`document.getElementById('open-editor').getAttribute('href')`) === ev.editor,
          'open in editor link', ev.editor);
    for (const s of ev.event.sources)
      if (s.quote) check(await evaluate(`document.getElementById('panel-body').textContent.includes(${JSON.stringify(s.quote)})`), 'panel quotes ' + s.id);

    // 5. Back: the filter goes, every event is listed again.
    await evaluate('history.back()');
    await waitFor(`location.search === ''`, 'back to no filter');
    await idle();
    api = await getJson('/api/events?limit=5000');
    check(JSON.stringify(await listIds()) === JSON.stringify(api.events.map((e) => e.id)), 'back restores the view');
    await evaluate('history.forward()');
    await waitFor(`location.search === '?actor=islamic-state'`, 'forward to the filter');
    await idle();

    // 5b. The role control: typed and applied, it goes in the URL and filters as the API does.
    await evaluate(`document.getElementById('f-role').value = 'perpetrator'`);
    await click('#search button[type="submit"]');
    await waitFor(`location.search === '?actor=islamic-state&role=perpetrator'`, 'the URL to name the role');
    await idle();
    api = await getJson('/api/events?actor=islamic-state&role=perpetrator&limit=5000');
    check(api.total > 0, 'the role filter finds events');
    check(JSON.stringify(await listIds()) === JSON.stringify(api.events.map((e) => e.id)),
          'the role filter lists exactly the API\'s events', await listIds());
    await evaluate('history.back()');
    await waitFor(`location.search === '?actor=islamic-state'`, 'back from the role');
    await idle();
    check(await evaluate(`document.getElementById('f-role').value`) === '', 'back empties the role control');

    // 6. A file is edited: the page refreshes by itself; an error shows on the page.
    const file = path.join(dataDir, 'events', '2014.yaml');
    const good = fs.readFileSync(file, 'utf8');
    const gen0 = Number(await evaluate(`document.documentElement.dataset.loaded`));
    fs.writeFileSync(file, good.replace('title: Islamic State takes control of large areas of northern Iraq',
                                        'title: Islamic State takes northern Iraq (edited)'));
    await waitFor(`Number(document.documentElement.dataset.loaded) > ${gen0}`, 'the refresh after an edit');
    await idle();
    check(await evaluate(`document.getElementById('list').textContent.includes('Islamic State takes northern Iraq (edited)')`),
          'the edit shows in the list');
    const gen1 = Number(await evaluate(`document.documentElement.dataset.loaded`));
    fs.writeFileSync(file, good + '  - id: broken\n    date: 2019-13\n    title: x\n');
    await waitFor(`Number(document.documentElement.dataset.loaded) > ${gen1}`, 'the refresh after a bad edit');
    check(await evaluate(`!document.getElementById('problems').hidden && document.getElementById('problems-text').textContent.includes('2014.yaml:')`),
          'the diagnostics show on the page');
    check(await evaluate(`document.getElementById('list').textContent.includes('Islamic State takes northern Iraq (edited)')`),
          'the last good load stays');
    const gen2 = Number(await evaluate(`document.documentElement.dataset.loaded`));
    fs.writeFileSync(file, good);
    await waitFor(`Number(document.documentElement.dataset.loaded) > ${gen2}`, 'the refresh after the fix');
    await idle();
    check(await evaluate(`document.getElementById('problems').hidden`), 'the diagnostics go when fixed');

    // 7. Dark, and a picture.
    await click('#theme');
    await sleep(200);
    check(await evaluate(`getComputedStyle(document.body).backgroundColor`) !== 'rgb(255, 255, 255)', 'dark theme');
    await click('#theme');
    await evaluate('history.back()');
    await waitFor(`location.search === ''`, 'back to no filter');
    await idle();
    if (screenshot) {
      await click(`#timeline .mark`);
      await waitFor(`!document.getElementById('panel').hidden`, 'the panel for the picture');
      await sleep(300);
      const shot = await Page.captureScreenshot({format: 'png'});
      fs.writeFileSync(screenshot, Buffer.from(shot.data, 'base64'));
    }
    check(consoleErrors.length === 0, 'no console errors', consoleErrors);
  } finally {
    if (client) await client.close();
    await browser.close();
  }
}

main().then(() => {
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}, (e) => {
  console.log('FAIL: ' + (e.stack || e));
  console.log(`${passed} passed, ${failed + 1} failed`);
  process.exit(1);
});
