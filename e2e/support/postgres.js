// @ts-check
// A throwaway PostgreSQL cluster, like the C++ tests' tests/support/pg_cluster: initdb
// into a temporary folder (as the postgres user when we are root), listening on a
// Unix socket only, removed at the end.
const { execFileSync, spawn } = require('child_process');
const fs = require('fs');
const net = require('net');
const path = require('path');

function postgresBinDir() {
  const base = '/usr/lib/postgresql';
  const versions = fs.readdirSync(base).filter((v) => fs.existsSync(path.join(base, v, 'bin', 'initdb')));
  if (!versions.length) throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql');
  versions.sort((a, b) => Number(b) - Number(a));
  return path.join(base, versions[0], 'bin');
}

/** @returns {Promise<number>} */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = /** @type {net.AddressInfo} */ (server.address());
      server.close(() => resolve(address.port));
    });
    server.on('error', reject);
  });
}

/**
 * @param {string} dir an empty folder of ours
 * @returns {Promise<{ url: (db: string) => string, createDatabase: (db: string) => void, stop: () => Promise<void> }>}
 */
async function startPostgres(dir) {
  const bin = postgresBinDir();
  const asRoot = process.getuid?.() === 0;
  /** @param {string} tool @param {string[]} args */
  const run = (tool, args) =>
    asRoot
      ? execFileSync('runuser', ['-u', 'postgres', '--', path.join(bin, tool), ...args], { stdio: 'pipe' })
      : execFileSync(path.join(bin, tool), args, { stdio: 'pipe' });
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
    fs.chownSync(dir, uid, gid);
  }
  const data = path.join(dir, 'data');
  run('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync']);
  const port = await freePort();
  const args = ['-D', data, '-k', dir, '-p', String(port), '-c', "listen_addresses=", '-F'];
  const child = asRoot
    ? spawn('runuser', ['-u', 'postgres', '--', path.join(bin, 'postgres'), ...args], { stdio: 'ignore' })
    : spawn(path.join(bin, 'postgres'), args, { stdio: 'ignore' });
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      run('pg_isready', ['-h', dir, '-p', String(port), '-q']);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error('PostgreSQL did not start in 15 s');
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    url: (db) => `postgres:///${db}?host=${encodeURIComponent(dir)}&port=${port}&user=postgres`,
    createDatabase: (db) => run('createdb', ['-h', dir, '-p', String(port), '-U', 'postgres', db]),
    stop: async () => {
      try {
        run('pg_ctl', ['-D', data, 'stop', '-m', 'immediate', '-w']);
      } catch {
        child.kill('SIGKILL');
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

module.exports = { startPostgres };
