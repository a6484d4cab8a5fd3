import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * `npm run dev`: the simulators, the bot and the Microsoft 365 Agents Playground together,
 * with the Playground's offline flags, then prints what to open and what to type.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const BOT_PORT = Number(process.env.PORT ?? 3978);
const PLAYGROUND_PORT = 56150;
const children: ChildProcess[] = [];

function run(name: string, args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = (line: string) => `[${name}] ${line}`;
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding('utf8').on('data', (chunk: string) => {
      for (const line of chunk.split('\n')) if (line.trim()) process.stdout.write(`${prefix(line)}\n`);
    });
  }
  child.on('exit', (code, signal) => {
    if (!shuttingDown) {
      process.stderr.write(`${name} exited (${signal ?? code}); stopping the rest.\n`);
      shutdown(1);
    }
  });
  children.push(child);
  return child;
}

async function waitForHttp(url: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

let shuttingDown = false;
function shutdown(code: number): void {
  shuttingDown = true;
  for (const child of children) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 1_500).unref();
}
process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));

async function main(): Promise<void> {
  const simEntry = `${root}dist/sim/main.js`;
  if (existsSync(simEntry)) run('sim', [simEntry]);
  run('bot', [`${root}dist/bot/src/main.js`], { PORT: String(BOT_PORT) });
  await waitForHttp(`http://127.0.0.1:${BOT_PORT}/healthz`);
  run('playground', [
    `${root}node_modules/@microsoft/m365agentsplayground/cli.js`,
    '-e', `http://127.0.0.1:${BOT_PORT}/api/messages`, '-c', 'msteams', '-p', String(PLAYGROUND_PORT), '--disable-telemetry',
  ], { APPLICATION_INSIGHTS_NO_STATSBEAT: 'true', TEAMSAPPTESTER_BROWSER: 'none' });
  await waitForHttp(`http://127.0.0.1:${PLAYGROUND_PORT}/`);
  process.stdout.write([
    '',
    '  PlanBridge is running.',
    `  Open   http://localhost:${PLAYGROUND_PORT}   (Agents Playground, a local Teams client)`,
    '  The bot welcomes you on install. Then type:',
    '    help',
    `    connect ado        URL http://127.0.0.1:${process.env.ADO_SIM_PORT ?? 8081}/contoso, PAT demo-full-access`,
    `    connect pwa        URL http://127.0.0.1:${process.env.PWA_SIM_PORT ?? 8082}/sites/pwa, access token demo-pwa-token`,
    '    link project Apollo to ADO project Phoenix',
    '    sync project Apollo to ADO',
    `  Bot health: http://127.0.0.1:${BOT_PORT}/healthz    Stop with Ctrl+C.`,
    '',
  ].join('\n') + '\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`npm run dev failed: ${err instanceof Error ? err.message : String(err)}\n`);
  shutdown(1);
});
