// Debian's chromium, headless, with a fresh profile and the DevTools
// protocol on a free port: what the browser test and the benchmark drive.
'use strict';

const {spawn} = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/* Start chromium; resolves to {port, close()}. */
async function launch(chromium) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'annals-chromium-'));
  const proc = spawn(chromium, ['--headless', '--no-sandbox', '--disable-gpu',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--no-first-run', '--user-data-dir=' + dir, '--remote-debugging-port=0',
    '--window-size=1400,900', 'about:blank'], {stdio: 'ignore'});
  /* The file may be there before its port is written in it: wait for the number itself. */
  const portFile = path.join(dir, 'DevToolsActivePort');
  const readPort = () => {
    try {
      return Number(fs.readFileSync(portFile, 'utf8').split('\n')[0]) || 0;
    } catch (e) {
      return 0;
    }
  };
  let port = 0;
  for (let i = 0; i < 300 && !(port = readPort()); i++) await sleep(100);
  if (!port) {
    proc.kill('SIGKILL');
    throw new Error('chromium did not open its DevTools port');
  }
  const close = async () => {
    if (proc.exitCode === null) {
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await Promise.race([exited, sleep(10000)]);
    }
    try {   /* its helpers may still be writing there: retry, and never fail on a temporary folder */
      fs.rmSync(dir, {recursive: true, force: true, maxRetries: 10, retryDelay: 200});
    } catch (e) {
      /* left in the temporary directory */
    }
  };
  return {port, close};
}

module.exports = {launch, sleep};
