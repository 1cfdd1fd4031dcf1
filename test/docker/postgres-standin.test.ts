/**
 * The offline postgres:17 stand-in keeps the official image's contract, the part the tutorial and
 * most guides rely on: POSTGRES_USER / POSTGRES_PASSWORD / POSTGRES_DB, a database made on first
 * start in the data volume and reused afterwards, /docker-entrypoint-initdb.d, port 5432 for other
 * containers with the password, psql inside.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { docker } from '../../runner/engine/engine.ts';
import { provision } from '../../runner/images/provision.ts';
import { POSTGRES_STANDIN } from '../../runner/images/recipes.ts';

const IMAGE = POSTGRES_STANDIN.image;
const tag = `rt-pg-test-${process.pid}`;
const names = { network: tag, volume: tag, server: `${tag}-server` };
const ENV = ['-e', 'POSTGRES_USER=alice', '-e', 'POSTGRES_PASSWORD=s3cret', '-e', 'POSTGRES_DB=shop'];

/** Polls pg_isready over TCP (the temporary init server only listens on the socket). */
async function waitReady(container: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ready = await docker(['exec', container, 'pg_isready', '-h', '127.0.0.1', '-U', 'alice', '-d', 'shop']).then(
      () => true,
      () => false,
    );
    if (ready) return;
    if (Date.now() > deadline) {
      const logs = await docker(['logs', container]).catch((e: unknown) => String(e));
      throw new Error(`${container} not ready after ${timeoutMs} ms; its logs:\n${logs}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Runs psql in a second container on the network: a client over TCP, as Django is. */
function psqlOverNetwork(password: string, sql: string): Promise<string> {
  return docker([
    'run',
    '--rm',
    '--network',
    names.network,
    '-e',
    `PGPASSWORD=${password}`,
    IMAGE,
    'psql',
    '-h',
    names.server,
    '-U',
    'alice',
    '-d',
    'shop',
    '-tAc',
    sql,
  ]);
}

async function startServer(initDir: string): Promise<void> {
  await docker([
    'run',
    '-d',
    '--name',
    names.server,
    '--network',
    names.network,
    ...ENV,
    '-v',
    `${names.volume}:/var/lib/postgresql/data`,
    '-v',
    `${initDir}:/docker-entrypoint-initdb.d:ro`,
    IMAGE,
  ]);
  await waitReady(names.server);
}

describe('postgres:17 stand-in', { timeout: 900_000 }, () => {
  const initDir = mkdtempSync(path.join(os.tmpdir(), 'pg-initdb-'));
  let firstLogs = '';

  before(async () => {
    await provision({ profile: 'offline', images: [IMAGE] });
    writeFileSync(
      path.join(initDir, '10-schema.sql'),
      "CREATE TABLE item (name text);\nINSERT INTO item VALUES ('apple');\n",
    );
    writeFileSync(
      path.join(initDir, '20-more.sh'),
      '#!/bin/bash\npsql -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d "$POSTGRES_DB" -c "INSERT INTO item VALUES (\'pear\')"\n',
    );
    chmodSync(path.join(initDir, '20-more.sh'), 0o755);
    chmodSync(initDir, 0o755);
    await docker(['network', 'create', names.network]);
    await docker(['volume', 'create', names.volume]);
    await startServer(initDir);
    firstLogs = await docker(['logs', names.server]);
  });
  after(async () => {
    await docker(['rm', '-f', names.server]).catch(() => {});
    await docker(['volume', 'rm', names.volume]).catch(() => {});
    await docker(['network', 'rm', names.network]).catch(() => {});
    rmSync(initDir, { recursive: true, force: true });
  });

  it('declares the official entrypoint, command, port and data volume', async () => {
    const config = JSON.parse(await docker(['image', 'inspect', '--format', '{{json .Config}}', IMAGE])) as {
      Entrypoint: string[];
      Cmd: string[];
      ExposedPorts: object;
      Volumes: object;
      Env: string[];
    };
    assert.deepEqual(config.Entrypoint, ['docker-entrypoint.sh']);
    assert.deepEqual(config.Cmd, ['postgres']);
    assert.deepEqual(Object.keys(config.ExposedPorts), ['5432/tcp']);
    assert.deepEqual(Object.keys(config.Volumes), ['/var/lib/postgresql/data']);
    assert.ok(config.Env.includes('PGDATA=/var/lib/postgresql/data'));
  });

  it('initialises the database on first start and runs the init scripts in order', async () => {
    assert.match(firstLogs, /running \/docker-entrypoint-initdb\.d\/10-schema\.sql[\s\S]*20-more\.sh/);
    assert.match(firstLogs, /PostgreSQL init process complete; ready for start up\./);
    assert.equal(await psqlOverNetwork('s3cret', 'SELECT name FROM item ORDER BY name'), 'apple\npear');
  });

  it('makes POSTGRES_USER the superuser and POSTGRES_DB its database, owned by it', async () => {
    const out = await psqlOverNetwork(
      's3cret',
      "SELECT rolsuper, pg_get_userbyid(datdba) FROM pg_roles, pg_database WHERE rolname = current_user AND datname = 'shop'",
    );
    assert.equal(out, 't|alice');
  });

  it('refuses a wrong password over the network', async () => {
    await assert.rejects(psqlOverNetwork('wrong', 'SELECT 1'), /password authentication failed for user "alice"/);
  });

  it('has psql inside, trusted on the local socket', async () => {
    const out = await docker(['exec', names.server, 'psql', '-U', 'alice', '-d', 'shop', '-tAc', 'SELECT version()']);
    assert.match(out, /^PostgreSQL 17\./);
  });

  it('keeps the data when the container is removed and the volume stays, without initialising again', async () => {
    await docker(['rm', '-f', names.server]);
    await startServer(initDir);
    const logs = await docker(['logs', names.server]);
    assert.match(logs, /Database directory appears to contain a database; Skipping initialization/);
    assert.doesNotMatch(logs, /docker-entrypoint-initdb\.d/);
    assert.equal(await psqlOverNetwork('s3cret', 'SELECT count(*) FROM item'), '2');
  });

  it('refuses to initialise a database without a password, and says how to fix it', async () => {
    await assert.rejects(
      docker(['run', '--rm', IMAGE]),
      /superuser password is not specified[\s\S]*-e POSTGRES_PASSWORD=password/,
    );
  });
});
