// A throwaway PostgreSQL server (Debian's `postgresql` package) for Terraform's `pg` backend: its
// own data dir in the lab's state dir, started inside the controller namespace on that namespace's
// loopback only, trust authentication (nothing else can reach it), stopped by `stop()`.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Lab } from './lab';
import { run, runChecked } from './run';

const PORT = 5432;

/** The newest PostgreSQL server installed from Debian's packages. */
export function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return undefined;
  const versions = fs
    .readdirSync(root)
    .filter((v) => fs.existsSync(path.join(root, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? path.join(root, versions[0], 'bin') : undefined;
}

export class LabPostgres {
  private constructor(
    private readonly lab: Lab,
    private readonly bin: string,
    readonly dataDir: string,
    /** For PG_CONN_STR, valid inside the controller namespace. */
    readonly connStr: string,
  ) {}

  static async start(lab: Lab): Promise<LabPostgres> {
    const bin = postgresBinDir();
    if (!bin) throw new Error('PostgreSQL is not installed (apt-get install postgresql): the pipeline scenario needs a pg backend');
    // Not in the lab's state dir: the postgres user cannot enter a clone under a 0700 temp dir.
    // Named after the lab, so a leftover server is one of the lab's traces (pgrep etcdlab-).
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `${lab.name}-postgres-`));
    await runChecked(['chown', 'postgres:postgres', dataDir]);
    await runChecked(['runuser', '-u', 'postgres', '--', path.join(bin, 'initdb'), '-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync'], {
      cwd: '/',
      timeoutMs: 120_000,
    });
    const pg = new LabPostgres(lab, bin, dataDir, `postgres://postgres@127.0.0.1:${PORT}/postgres?sslmode=disable`);
    const options = `-c listen_addresses=127.0.0.1 -p ${PORT} -k ${dataDir} -c fsync=off`;
    const started = await lab.controllerExec(
      ['runuser', '-u', 'postgres', '--', path.join(bin, 'pg_ctl'), '-D', dataDir, '-l', path.join(dataDir, 'server.log'), '-o', options, '-w', 'start'],
      { cwd: '/', timeoutMs: 60_000 },
    );
    if (started.code !== 0) throw new Error(`PostgreSQL did not start: ${started.stdout}${started.stderr}${readLog(dataDir)}`);
    return pg;
  }

  /** One SQL statement through psql; rows as plain text. */
  async query(sql: string): Promise<string> {
    const psql = path.join(this.bin, 'psql');
    const r = await this.lab.controllerExec([
      'runuser',
      '-u',
      'postgres',
      '--',
      psql,
      '-h',
      '127.0.0.1',
      '-p',
      String(PORT),
      '-U',
      'postgres',
      '-At',
      '-c',
      sql,
    ]);
    if (r.code !== 0) throw new Error(`psql: ${r.stderr}`);
    return r.stdout.trim();
  }

  async stop(): Promise<void> {
    await run(['runuser', '-u', 'postgres', '--', path.join(this.bin, 'pg_ctl'), '-D', this.dataDir, '-m', 'immediate', '-w', 'stop'], {
      cwd: '/',
      timeoutMs: 60_000,
    });
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}

function readLog(dataDir: string): string {
  const log = path.join(dataDir, 'server.log');
  return fs.existsSync(log) ? `\n${fs.readFileSync(log, 'utf8').slice(-2000)}` : '';
}
