// @ts-check
// Starting the real binaries on port 0 and learning their port from the
// `"msg":"listening"` log line; their output is kept in a log file per process.
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');
const readline = require('readline');

/**
 * @typedef {{ port: number, url: string, child: import('child_process').ChildProcess,
 *             logFile: string, stop: () => Promise<void>, kill: () => Promise<void> }} Started
 */

/**
 * Spawns `bin` with `args` and `env`, resolves once it prints its listening line.
 * @param {string} name  short name for the log file
 * @param {string} bin
 * @param {string[]} args
 * @param {Record<string, string>} env
 * @param {string} logDir
 * @returns {Promise<Started>}
 */
function startServer(name, bin, args, env, logDir) {
  fs.mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, `${name}.log`);
  const log = fs.createWriteStream(logFile, { flags: 'a' });
  const child = spawn(bin, args, {
    env: { PATH: process.env.PATH || '/usr/bin:/bin', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr?.pipe(log);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start in 15 s (see ${logFile})`)), 15_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code} before listening (see ${logFile})`));
    });
    const lines = readline.createInterface({ input: /** @type {any} */ (child.stdout) });
    let ready = false;
    lines.on('line', (line) => {
      log.write(line + '\n');
      if (ready || !line.includes('"msg":"listening"')) return;
      const match = /"port":(\d+)/.exec(line);
      if (!match) return;
      ready = true;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      const port = Number(match[1]);
      resolve({
        port,
        url: `http://127.0.0.1:${port}`,
        child,
        logFile,
        stop: () => stopChild(child),
        kill: () => killChild(child),
      });
    });
  });
}

/** @param {import('child_process').ChildProcess} child */
function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise(/** @param {(value?: void) => void} resolve */ (resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Kills at once, as a crash would (SIGKILL: no drain, nothing said to anyone), and
 * resolves once the process is gone, so its port is free again.
 * @param {import('child_process').ChildProcess} child
 */
function killChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise(/** @param {(value?: void) => void} resolve */ (resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

module.exports = { startServer, stopChild, killChild };
