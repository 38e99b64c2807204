// The first view of `annals serve`'s page in headless chromium: from the
// navigation to the timeline and the list drawn (the page's data-drawn set to
// 1; the facets may still be on their way). Usage: node serve_view.js URL
// CHROMIUM RUNS; prints the median ms, then the first run's ms (its answers
// computed, the others' kept by the server), and what was drawn. Run from the browser test's node folder (bench/serve.sh).
'use strict';

const CDP = require('chrome-remote-interface');
const {launch, sleep} = require('./chromium');

const [url, chromium, runs] = process.argv.slice(2);

async function main() {
  const browser = await launch(chromium);
  const times = [];
  let drawn = '';
  try {
    for (let i = 0; i < Number(runs || 3); i++) {
      const client = await CDP({port: browser.port});
      const {Page, Runtime, Network} = client;
      await Promise.all([Page.enable(), Runtime.enable(), Network.enable()]);
      await Network.setCacheDisabled({cacheDisabled: true});
      const start = process.hrtime.bigint();
      await Page.navigate({url});
      for (;;) {
        const r = await Runtime.evaluate({returnByValue: true, expression:
          `document.documentElement.dataset.drawn === '1' && document.querySelectorAll('#list li').length > 0`});
        if (r.result.value) break;
        await sleep(5);
      }
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
      drawn = (await Runtime.evaluate({returnByValue: true, expression:
        `document.querySelectorAll('#timeline .mark').length + ' marks, ' +
         document.querySelectorAll('#timeline .cell').length + ' density cells, ' +
         document.querySelectorAll('#list li').length + ' listed'`})).result.value;
      await client.close();
    }
  } finally {
    await browser.close();
  }
  const first = times[0];
  times.sort((a, b) => a - b);
  console.log(times[Math.floor(times.length / 2)].toFixed(0) + ' ' + first.toFixed(0) + ' ' + drawn);
}

main().catch((e) => { console.error(e.stack || String(e)); process.exit(1); });
