import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, waitForHttp } from './ports.js';

const CLI = fileURLToPath(new URL('../../node_modules/@microsoft/m365agentsplayground/cli.js', import.meta.url));

export interface RunningPlayground {
  url: string;
  /** Everything the Playground printed, for failure messages. */
  output(): string;
  close(): Promise<void>;
}

/**
 * Starts the Microsoft 365 Agents Playground offline (flags from ../shared/notes/teams.md) against a
 * bot endpoint. It runs in a temp working directory because it writes devTools/ logs there.
 */
export async function startPlayground(botEndpoint: string): Promise<RunningPlayground> {
  const port = await freePort();
  const cwd = await mkdtemp(join(tmpdir(), 'planbridge-playground-'));
  let printed = '';
  const child: ChildProcess = spawn(process.execPath, [CLI, '-e', botEndpoint, '-c', 'msteams', '-p', String(port), '--disable-telemetry'], {
    cwd,
    env: { ...process.env, APPLICATION_INSIGHTS_NO_STATSBEAT: 'true', TEAMSAPPTESTER_BROWSER: 'none' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.setEncoding('utf8').on('data', (s: string) => (printed += s));
  child.stderr?.setEncoding('utf8').on('data', (s: string) => (printed += s));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const close = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
    await rm(cwd, { recursive: true, force: true });
  };
  try {
    await waitForHttp(`http://localhost:${port}/_internal/v1/config`, 45_000);
  } catch (err) {
    await close();
    throw new Error(`Agents Playground did not start: ${(err as Error).message}\n${printed}`);
  }
  return { url: `http://localhost:${port}`, output: () => printed, close };
}
