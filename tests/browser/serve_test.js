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
/* Asked on purpose: the browser logs these answers (a bad date's 400, the 404 of an event
 * deleted while its panel is open), which are no errors of the page. */
const BAD_DATE = '2019-13';
const expectedAnswer = (e) => e.source === 'network' && e.url &&
  ((e.url.includes('from=' + BAD_DATE) && e.text.includes('400')) ||
   (e.url.endsWith('/api/events/test-war') && e.text.includes('404')));
const requests = [];          /* every URL the page asked for */

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
    const {Page, Runtime, Log, Input, Emulation, Network} = client;
    Runtime.consoleAPICalled((e) => {
      if (e.type === 'error' || e.type === 'assert')
        consoleErrors.push(e.args.map((a) => a.value ?? a.description).join(' '));
    });
    Runtime.exceptionThrown((e) => consoleErrors.push(e.exceptionDetails.exception
      ? e.exceptionDetails.exception.description : e.exceptionDetails.text));
    Log.entryAdded((e) => {
      if (e.entry.level !== 'error' && e.entry.level !== 'warning') return;
      if (expectedAnswer(e.entry)) return;
      consoleErrors.push(e.entry.level + ': ' + e.entry.text + ' ' + (e.entry.url || ''));
    });
    Runtime.consoleAPICalled((e) => {
      if (e.type === 'warning') consoleErrors.push('warning: ' + e.args.map((a) => a.value ?? a.description).join(' '));
    });
    Network.requestWillBeSent((e) => requests.push(e.request.url));
    await Promise.all([Page.enable(), Runtime.enable(), Log.enable(), Network.enable()]);
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
    const key = async (k, code, vk) => {
      await Input.dispatchKeyEvent({type: 'keyDown', key: k, code, windowsVirtualKeyCode: vk, text: k === 'Enter' ? '\r' : undefined});
      await Input.dispatchKeyEvent({type: 'keyUp', key: k, code, windowsVirtualKeyCode: vk});
    };
    const focused = () => evaluate(`(() => { const e = document.activeElement;
      if (e.dataset.filter) return 'facet:' + e.dataset.filter + '=' + e.dataset.value;
      if (e.classList.contains('chip')) return 'chip:' + e.textContent;
      return e.id || (e.closest('li[data-id]') ? 'item:' + e.closest('li[data-id]').dataset.id : e.tagName); })()`);
    const text = (id) => evaluate(`document.getElementById(${JSON.stringify(id)}).textContent`);
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
    const lanes = await evaluate(`[...document.querySelectorAll('#timeline .lane-label')].map((t) =>
      [t.querySelector('title') ? t.querySelector('title').textContent : null,
       [...t.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.data).join('')])`);
    check(lanes.length > 0 && lanes.every(([whole, shown]) => whole !== null &&
            (shown === whole || (shown.endsWith('…') && whole.startsWith(shown.slice(0, -1))))),
          'a lane name too long is cut with an ellipsis, whole on hover', lanes);
    const actorNames = new Set((await getJson('/api/actors')).actors.map((a) => a.name));
    check(lanes.every(([whole]) => whole === 'other' || actorNames.has(whole)), 'the lanes are named by their actors\' names', lanes);
    check(await evaluate(`typeof num === 'function' && num(1234567) === '1,234,567'`), 'counts are written 1,234,567');
    // The keyboard's first stop skips the filters to the timeline.
    await evaluate(`document.activeElement.blur()`);
    await key('Tab', 'Tab', 9);
    check(await focused() === 'skip', 'the first Tab stop is the skip link', await focused());
    await key('Enter', 'Enter', 13);
    check(await focused() === 'timeline', 'the skip link takes the focus to the timeline', await focused());

    // 2. A facet value, clicked: the list is exactly the API's answer, the URL says it.
    await click('#facets [data-filter="actor"][data-value="islamic-state"]');
    await waitFor(`location.search === '?actor=islamic-state'`, 'the URL to name the actor');
    await idle();
    api = await getJson('/api/events?actor=islamic-state&limit=5000');
    check(JSON.stringify(await listIds()) === JSON.stringify(api.events.map((e) => e.id)),
          'the facet lists exactly the API\'s events', await listIds());
    const facetCount = await evaluate(`document.querySelector('#facets [data-value="islamic-state"] .n').textContent`);
    check(Number(facetCount) === api.total, 'the facet count is the number of its events', facetCount);

    // 2a. The URL is the view: reloaded (a bookmark opened), it shows the same events.
    await Page.reload();
    await Page.loadEventFired();
    await waitFor(`document.querySelectorAll('#list li').length > 0 && document.querySelector('#facets .fv')`, 'the reloaded page');
    await idle();
    check(JSON.stringify(await listIds()) === JSON.stringify(api.events.map((e) => e.id)) &&
          await evaluate(`document.querySelector('#facets [data-value="islamic-state"]').getAttribute('aria-pressed')`) === 'true',
          'a reload keeps the filtered view', await listIds());

    // 2b. A second filter: every count beside a value is the number of events its click shows
    // (a click replaces its own filter's value; a value in use counts the events shown), the chips name what they filter by, and the
    // whole extent is asked without bounds (the server has that answer ready).
    // From the keyboard: the focus stays on the value, drawn anew.
    requests.length = 0;
    await evaluate(`document.querySelector('#facets [data-filter="tag"][data-value="africa"]').focus()`);
    await key('Enter', 'Enter', 13);
    await waitFor(`location.search === '?actor=islamic-state&tag=africa'`, 'the URL to name the tag');
    await idle();
    check(await focused() === 'facet:tag=africa', 'a value chosen from the keyboard keeps the focus', await focused());
    const buttons = await evaluate(`[...document.querySelectorAll('#facets .fv')].map((b) =>
      [b.dataset.filter, b.dataset.value, b.getAttribute('aria-pressed') === 'true', b.querySelector('.n').textContent])`);
    check(buttons.length > 20, 'facet values shown', buttons.length);
    const wrong = [];
    for (const [name, value, on, count] of buttons) {
      const p = new URLSearchParams({actor: 'islamic-state', tag: 'africa'});
      if (!on) p.set(name, value);   /* on: the events shown */
      p.set('limit', '1');
      const total = (await getJson('/api/events?' + p)).total;
      if (Number(count.replace(/,/g, '')) !== total) wrong.push([name, value, count, total]);
    }
    check(wrong.length === 0, 'each facet count is what its click shows', wrong);
    const isName = (await getJson('/api/actors')).actors.find((a) => a.id === 'islamic-state').name;
    check(await text('chips') === `Actor: ${isName} ×Tag: africa ×`, 'the chips name the filters', await text('chips'));
    check(/quotes/.test(await evaluate(`document.getElementById('f-text').title`)),
          'the words control says what it searches (quotes too, as --text)');
    const untitled = await evaluate(`[...document.querySelectorAll('header input, header button:not([type=submit])')]
      .filter((el) => !el.title).map((el) => el.id)`);
    check(untitled.length === 0, 'each control of the header says on hover what it does', untitled);
    const asked = requests.filter((u) => u.includes('/api/events?') && u.includes('tag=africa'));
    check(asked.length > 0 && asked.every((u) => !u.includes('from=')), 'the whole extent is asked without bounds', asked);
    await evaluate('history.back()');
    await waitFor(`location.search === '?actor=islamic-state'`, 'back to the actor alone');
    await idle();

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
    const range1b = await text('range');
    await Input.dispatchMouseEvent({type: 'mousePressed', x: box.x, y: box.y, button: 'left', clickCount: 1});
    await Input.dispatchMouseEvent({type: 'mouseMoved', x: box.x - 150, y: box.y, button: 'left', buttons: 1});
    await Input.dispatchMouseEvent({type: 'mouseReleased', x: box.x - 150, y: box.y, button: 'left', clickCount: 1});
    await idle();
    check(await text('range') !== range1b, 'a drag pans', [range1b, await text('range')]);
    const [dfrom, dto] = (await evaluate(`document.documentElement.dataset.view`)).split(' ');
    api = await getJson(`/api/events?actor=islamic-state&from=${dfrom}&to=${dto}&limit=5000`);
    check(JSON.stringify(await listIds()) === JSON.stringify(api.events.map((e) => e.id)),
          'the list follows a drag', {dfrom, dto, list: await listIds()});
    await evaluate(`document.getElementById('timeline').focus()`);
    const range2 = await evaluate(`document.getElementById('range').textContent`);
    await Input.dispatchKeyEvent({type: 'keyDown', key: 'ArrowLeft', code: 'ArrowLeft', windowsVirtualKeyCode: 37});
    await Input.dispatchKeyEvent({type: 'keyUp', key: 'ArrowLeft', code: 'ArrowLeft', windowsVirtualKeyCode: 37});
    await idle();
    check(await evaluate(`document.getElementById('range').textContent`) !== range2, 'the arrow keys pan');
    await click('#zoom-reset');
    await idle();

    // 4. An event panel: what show shows, with the editor link.
    const shown = (await getJson('/api/events?actor=islamic-state&limit=5000')).events;
    const first = (shown.find((e) => e.places.some((p) => typeof p.lat === 'number')) || shown[0]).id;
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
    const panelText = await text('panel-body');
    const bounds = `(${ev.event.start ?? 'open'} .. ${ev.event.end ?? 'open'})`;
    check(panelText.includes(bounds), 'the panel gives the bounds of the date, as show does', bounds);
    for (const pl of ev.event.places)
      if (typeof pl.lat === 'number') check(panelText.includes(`${pl.name} (${pl.lat}, ${pl.lon})`), 'the panel gives the coords of ' + pl.id);
    check(await focused() === 'panel-close', 'the panel takes the focus', await focused());
    await key('Escape', 'Escape', 27);
    await waitFor(`document.getElementById('panel').hidden`, 'Escape to close the panel');
    check(await focused() === 'item:' + first, 'closed, the panel gives the focus back to the event it came from', await focused());

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

    // 5b'. A date range is the period the timeline shows (the events' extent cut to it).
    await evaluate(`document.getElementById('f-from').value = '2019-06-01'; document.getElementById('f-to').value = '2019-06-30'`);
    await click('#search button[type="submit"]');
    await waitFor(`location.search === '?actor=islamic-state&from=2019-06-01&to=2019-06-30'`, 'the URL to name the dates');
    await idle();
    check(await text('range') === '1 Jun 2019 – 30 Jun 2019', 'the timeline shows the dates asked', await text('range'));
    api = await getJson('/api/events?actor=islamic-state&from=2019-06-01&to=2019-06-30&limit=5000');
    check(api.total > 0 && JSON.stringify(await listIds()) === JSON.stringify(api.events.map((e) => e.id)),
          'the dates list exactly the API\'s events', await listIds());
    await evaluate('history.back()');
    await waitFor(`location.search === '?actor=islamic-state'`, 'back from the dates');
    await idle();

    // 5c. A bad date: the error says why, and nothing of the last view stays to be taken for its answer.
    await evaluate(`document.getElementById('f-from').value = '${BAD_DATE}'`);
    await click('#search button[type="submit"]');
    await waitFor(`!document.getElementById('error').hidden`, 'the error of a bad date');
    await idle();
    check((await text('error')).includes(`'${BAD_DATE}'`), 'the error names the bad date', await text('error'));
    check(await evaluate(`document.querySelectorAll('#list li, #timeline svg').length`) === 0 &&
          await text('range') === '' && await text('mode') === '' && !(await text('list-title')).includes('in view'),
          'a bad filter leaves no view of the last one', [await text('range'), await text('mode'), await text('list-title')]);
    await evaluate('history.back()');
    await waitFor(`location.search === '?actor=islamic-state'`, 'back from the bad date');
    await idle();
    check(await evaluate(`document.getElementById('error').hidden && document.querySelectorAll('#list li').length > 0`),
          'back from the bad date, the view again');

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
    check(await evaluate(`document.querySelector('#problems details').open && document.getElementById('problems').classList.contains('errors')`),
          'errors are shown open, as errors');
    check(await evaluate(`document.getElementById('list').textContent.includes('Islamic State takes northern Iraq (edited)')`),
          'the last good load stays');
    const gen2 = Number(await evaluate(`document.documentElement.dataset.loaded`));
    fs.writeFileSync(file, good);
    await waitFor(`Number(document.documentElement.dataset.loaded) > ${gen2}`, 'the refresh after the fix');
    await idle();
    check(await evaluate(`document.getElementById('problems').hidden`), 'the diagnostics go when fixed');

    // 6b. A new file: a war and its part, long ago, the part citing no source (a warning), and
    // two spans with open starts that fill the rows of their lane before the war's part comes.
    const extra = path.join(dataDir, 'events', 'zz-browser-test.yaml');
    const extraText = (title) => 'events:\n' +
      '  - id: test-long\n    date: ../-0150\n    title: Long before\n    sources: [rome-coalition-article-2021]\n' +
      '  - id: test-longer\n    date: ../-0160\n    title: Longer before\n    sources: [rome-coalition-article-2021]\n' +
      '  - id: test-war\n    date: -0217/-0200\n    title: ' + title + '\n    sources: [rome-coalition-article-2021]\n' +
      '  - id: test-battle\n    date: -0215-08-02\n    title: A battle in it\n    part_of: test-war\n';
    const gen3 = Number(await evaluate(`document.documentElement.dataset.loaded`));
    fs.writeFileSync(extra, extraText('A war long ago'));
    await waitFor(`Number(document.documentElement.dataset.loaded) > ${gen3}`, 'the refresh after a new file');
    await idle();
    check(await evaluate(`!document.getElementById('problems').hidden && !document.querySelector('#problems details').open &&
                          !document.getElementById('problems').classList.contains('errors')`),
          'warnings alone are folded under their count', await text('problems-title'));
    await evaluate(`document.getElementById('f-to').value = '-0100'`);
    await click('#search button[type="submit"]');
    await waitFor(`location.search === '?actor=islamic-state&to=-0100'`, 'the URL to name the end');
    // A chip removed from the keyboard: the focus on the chip beside it.
    await evaluate(`document.querySelector('.chip[aria-label^="Remove filter Actor"]').focus()`);
    await key('Enter', 'Enter', 13);
    await waitFor(`location.search === '?to=-0100'`, 'the chip to remove the actor');
    await idle();
    check(await focused() === 'chip:To: -0100 ×', 'a chip removed from the keyboard leaves the focus beside it', await focused());
    check(JSON.stringify(await listIds()) === '["test-longer","test-long","test-war","test-battle"]', 'the events long ago', await listIds());
    const hidden = await evaluate(`(() => {
      const marks = [...document.querySelectorAll('#timeline .mark')].map((m) => ({id: m.dataset.id,
        box: m.getBBox(), opacity: Number(getComputedStyle(m).fillOpacity)}));
      const out = [];
      marks.forEach((a, i) => marks.forEach((b, j) => {
        const meet = a.box.y === b.box.y && a.box.x < b.box.x + b.box.width && b.box.x < a.box.x + a.box.width;
        /* a mark on a wider one: drawn after it, and the wider one lighter */
        if (meet && a.box.width < b.box.width && !(i > j && b.opacity < a.opacity)) out.push([a.id, b.id]);
      }));
      return out;
    })()`);
    check(hidden.length === 0, 'no mark is lost on a span drawn in the same colour', hidden);
    const labels = await evaluate(`[...document.querySelectorAll('#timeline svg > text:not(.lane-label)')].map((t) => t.textContent)`);
    check(labels.length > 2 && labels.every((l) => /^\d*[02468] BCE$/.test(l)), 'the axis counts BCE years as they are written', labels);
    await click('#list li[data-id="test-war"] button');
    await waitFor(`!document.getElementById('panel').hidden`, 'the panel of the war');
    check((await text('panel-body')).includes('2 August 216 BCE A battle in it'), 'the parts, dated as show dates them',
          await text('panel-body'));
    await click('#list li[data-id="test-long"] button');
    await waitFor(`document.getElementById('panel-title').textContent === 'Long before'`, 'the panel of an open start');
    check((await text('panel-body')).includes('(open .. -0150-12-31)'), 'an open bound says open, as show says it',
          await text('panel-body'));
    check(!/null|undefined/.test(await text('panel-body')), 'an event with no summary: nothing in its place',
          await text('panel-body'));
    await click('#list li[data-id="test-war"] button');
    await waitFor(`document.getElementById('panel-title').textContent === 'A war long ago'`, 'the panel of the war again');
    await evaluate(`document.getElementById('timeline').focus()`);
    const gen4 = Number(await evaluate(`document.documentElement.dataset.loaded`));
    fs.writeFileSync(extra, extraText('A war long ago (edited)'));
    await waitFor(`Number(document.documentElement.dataset.loaded) > ${gen4}`, 'the refresh after an edit of the war');
    await waitFor(`document.getElementById('panel-title').textContent === 'A war long ago (edited)'`, 'the panel to follow the edit');
    check(await focused() === 'timeline', 'a reload leaves the focus where it was', await focused());
    const gen5 = Number(await evaluate(`document.documentElement.dataset.loaded`));
    fs.unlinkSync(extra);
    await waitFor(`Number(document.documentElement.dataset.loaded) > ${gen5}`, 'the refresh after the file is gone');
    await idle();
    check(await evaluate(`document.getElementById('panel').hidden`), 'the panel of an event gone closes');
    await evaluate('history.back()');
    await waitFor(`location.search === '?actor=islamic-state&to=-0100'`, 'back to the actor and the end');
    await evaluate('history.back()');
    await waitFor(`location.search === '?actor=islamic-state'`, 'back to the actor');
    await idle();

    // 7. Dark, and a picture.
    await click('#theme');
    await sleep(200);
    check(await evaluate(`getComputedStyle(document.body).backgroundColor`) !== 'rgb(255, 255, 255)', 'dark theme');
    await click('#theme');
    await evaluate(`localStorage.removeItem('annals-theme'); delete document.documentElement.dataset.theme`);
    await Emulation.setEmulatedMedia({features: [{name: 'prefers-color-scheme', value: 'dark'}]});
    check(await evaluate(`getComputedStyle(document.body).backgroundColor`) !== 'rgb(255, 255, 255)', 'dark when the system is');
    await Emulation.setEmulatedMedia({features: [{name: 'prefers-color-scheme', value: 'light'}]});
    check(await evaluate(`getComputedStyle(document.body).backgroundColor`) === 'rgb(255, 255, 255)', 'light when the system is');
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
