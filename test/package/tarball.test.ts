import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, test } from 'vitest';

/**
 * The package as a user gets it: `npm pack`, installed into a fresh project beside the user's own msw (an
 * older 2.x than accord's devDependency, so npm must not nest a second copy), type-checked and run there.
 * Needs the npm registry (for that msw), as `npm ci` does.
 */
const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const USER_MSW = '2.14.7';
let project = '';

const CONSUMER = `import { setupServer } from 'msw/node';
import { WebSocket as NodeWebSocket } from 'ws';
import { handlers } from 'accord/msw';

// Node 20 has no global WebSocket: the README says to put one there before making nymea's handlers.
const globals = globalThis as { WebSocket?: unknown };
if (!('WebSocket' in globals)) globals.WebSocket = NodeWebSocket;

const kanboard = handlers('kanboard', { baseUrl: 'http://kanboard.test', dialect: { appToken: 'accord-consumer-token-0123456789' } });
const octoprint = handlers('octoprint', { baseUrl: 'http://printer.test' });
const legacy = handlers('octoprint-1.3', { baseUrl: 'http://old-printer.test' });
const rhodecode = handlers('rhodecode', { baseUrl: 'http://code.test' });
const nymea = handlers('nymea', { url: 'ws://nymea.test:4444' });
const server = setupServer(...kanboard, ...octoprint, ...legacy, ...rhodecode, ...nymea);
server.listen({ onUnhandledRequest: 'error' });

const token: string = kanboard.instances[0]!.dialect.given.appToken;
const basic = Buffer.from('jsonrpc:' + token).toString('base64');
const all = await fetch('http://kanboard.test/jsonrpc.php', {
  method: 'POST',
  headers: { authorization: 'Basic ' + basic, 'content-type': 'application/json' },
  body: JSON.stringify({ jsonrpc: '2.0', method: 'getAllUsers', id: 1 }),
});
console.log('kanboard', all.status, JSON.stringify(Array.isArray((await all.json()).result)));

const adminKey: string | undefined = octoprint.instances[0]!.dialect.given.adminKey;
const perms = await fetch('http://printer.test/api/access/permissions', { headers: { 'x-api-key': adminKey ?? '' } });
console.log('octoprint', perms.status, JSON.stringify(Array.isArray((await perms.json()).permissions)));

const users13 = await fetch('http://old-printer.test/api/users', { headers: { 'x-api-key': legacy.instances[0]!.dialect.given.adminKey ?? '' } });
console.log('octoprint-1.3', users13.status, JSON.stringify(Array.isArray((await users13.json()).users)));

const rc = await fetch('http://code.test/_admin/api', {
  method: 'POST',
  body: JSON.stringify({ id: 1, auth_token: rhodecode.instances[0]!.dialect.given.adminToken, method: 'get_users', args: {} }),
});
console.log('rhodecode', rc.status, JSON.stringify(Array.isArray((await rc.json()).result)));

const hello = await new Promise<string>((resolve, reject) => {
  const socket = new (globals.WebSocket as typeof NodeWebSocket)('ws://nymea.test:4444');
  socket.addEventListener('open', () => socket.send(JSON.stringify({ id: 1, method: 'JSONRPC.Hello', params: {} })));
  socket.addEventListener('message', (event) => {
    socket.close();
    resolve(String(event.data));
  });
  socket.addEventListener('error', () => reject(new Error('no WebSocket answer')));
});
console.log('nymea', 200, JSON.stringify(JSON.parse(hello).status === 'success'));
server.close();
`;

describe('the packed package in a fresh project with its own msw', () => {
  beforeAll(async () => {
    const packs = mkdtempSync(join(tmpdir(), 'accord-pack-'));
    // dist/ is built by pretest; the tarball is what `npm publish` would send.
    await run('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', packs], { cwd: ROOT });
    const tarball = join(
      packs,
      readdirSync(packs).find((f) => f.endsWith('.tgz'))!,
    );
    project = mkdtempSync(join(tmpdir(), 'accord-consumer-'));
    const manifest = {
      name: 'consumer',
      private: true,
      type: 'module',
      dependencies: { accord: `file:${tarball}`, msw: USER_MSW, '@types/node': '20.19.43', '@types/ws': '8.18.2' },
    };
    writeFileSync(join(project, 'package.json'), JSON.stringify(manifest, null, 2));
    await run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], {
      cwd: project,
      timeout: 240_000,
    });
  }, 300_000);

  test("one msw copy: the user's", async () => {
    const { stdout } = await run('npm', ['ls', 'msw', '--all', '--parseable'], { cwd: project });
    const copies = stdout.split('\n').filter((line) => /node_modules[\\/]msw$/.test(line));
    expect(copies).toHaveLength(1);
  });

  // One compilation of two files: the user's code, which must compile, and a misspelt option, which must not.
  let compiled = '';
  const compile = () => {
    if (compiled) return Promise.resolve(compiled);
    mkdirSync(join(project, 'src'), { recursive: true });
    writeFileSync(join(project, 'src', 'consumer.ts'), CONSUMER);
    writeFileSync(
      join(project, 'src', 'misspelt.ts'),
      `import { handlers } from 'accord/msw';\nhandlers('kanboard', { baseUrl: 'http://x.test', dialect: { appTokn: 'x' } });\n`,
    );
    const tsconfig = {
      compilerOptions: {
        target: 'es2022',
        module: 'nodenext',
        moduleResolution: 'nodenext',
        strict: true,
        skipLibCheck: true,
        types: ['node'],
        outDir: 'out',
        rootDir: 'src',
      },
      include: ['src'],
    };
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify(tsconfig));
    // tsc writes its output even with errors: the misspelt file's error fails the compilation, not the emit.
    return run(process.execPath, [TSC, '-p', 'tsconfig.json'], { cwd: project }).then(
      () => (compiled = '(no error)'),
      (error: { stdout?: string }) => (compiled = error.stdout || String(error)),
    );
  };

  test("handlers for every protocol type-check and answer under the user's msw", async () => {
    const errors = (await compile()).split('\n').filter((line) => /error TS/.test(line));
    expect(
      errors.filter((line) => !line.startsWith('src/misspelt.ts')),
      'errors in the consumer project',
    ).toEqual([]);
    const { stdout } = await run(process.execPath, [join('out', 'consumer.js')], { cwd: project, timeout: 60_000 });
    expect(stdout.trim().split('\n')).toEqual([
      'kanboard 200 true',
      'octoprint 200 true',
      'octoprint-1.3 200 true',
      'rhodecode 200 true',
      'nymea 200 true',
    ]);
  }, 120_000);

  test("a misspelt option does not compile in the user's project", async () => {
    expect((await compile()).split('\n').filter((line) => line.startsWith('src/misspelt.ts'))).toEqual([
      expect.stringMatching(/error TS\d+: .*appTokn/),
    ]);
  }, 120_000);

  test('accord check runs from the install', async () => {
    const reports = join(project, 'reports');
    const { stdout } = await run(
      join(project, 'node_modules', '.bin', 'accord'),
      ['check', 'kanboard', '--only', 'shapes', '--reports', reports],
      { cwd: project, timeout: 120_000 },
    );
    expect(stdout).toMatch(/\d+ passed, 0 failed/);
    expect(readdirSync(join(reports, 'kanboard'))).toContain('junit.xml');
  }, 180_000);
});
