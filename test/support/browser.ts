import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync } from 'node:zlib';
import Chromium from '@sparticuz/chromium';
import { chromium, type Browser, type LaunchOptions } from 'playwright-core';

/**
 * The browser of the browser tests: the Chromium that `npm ci` brings (the devDependency
 * @sparticuz/chromium ships it brotli-compressed inside the package; nothing is downloaded), or the one
 * ACCORD_CHROMIUM names (`ACCORD_CHROMIUM=/usr/bin/chromium` for Debian's).
 */
const PACKAGE_ROOT = join(dirname(createRequire(import.meta.url).resolve('@sparticuz/chromium')), '..', '..');
const VERSION = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
/** Unpacked once per installed version; `npm ci` empties node_modules, and the cache with it. */
const CACHE = fileURLToPath(new URL(`../../node_modules/.cache/accord-chromium/${VERSION}/`, import.meta.url));

/** The flags this machine's closed network needs (playwright gives each launch a fresh profile). */
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A small .tar.br (tar stops reading at the archive's end marker, so it gets the whole tar at once). */
function untar(archive: string, into: string): void {
  mkdirSync(into, { recursive: true });
  const tar = spawnSync('tar', ['-x', '-C', into], {
    input: brotliDecompressSync(readFileSync(archive)),
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  if (tar.status !== 0) throw new Error(`tar could not unpack ${archive}: ${tar.error?.message ?? String(tar.stderr)}`);
}

/**
 * Unpack the package's Chromium into CACHE. Its executablePath() unpacks into os.tmpdir() and reuses any
 * /tmp/chromium it finds (another user's, or one half written by a test file starting beside this one), so
 * it runs here with TMPDIR set to a private folder that is renamed into place when complete.
 */
async function unpackBundled(): Promise<string> {
  const binary = join(CACHE, 'chromium');
  if (existsSync(join(CACHE, 'complete'))) return binary;
  mkdirSync(dirname(CACHE), { recursive: true });
  const staging = mkdtempSync(join(dirname(CACHE), 'unpacking-'));
  const tmpdir = process.env['TMPDIR'];
  process.env['TMPDIR'] = staging;
  try {
    await Chromium.executablePath(join(PACKAGE_ROOT, 'bin'));
    // NSS, NSPR and expat, which the package unpacks only on Amazon Linux: a machine without Debian's
    // chromium need not have them.
    untar(join(PACKAGE_ROOT, 'bin', 'al2023.tar.br'), join(staging, 'al2023'));
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  } finally {
    if (tmpdir === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = tmpdir;
  }
  writeFileSync(join(staging, 'complete'), '');
  try {
    renameSync(staging, CACHE);
  } catch {
    rmSync(staging, { recursive: true, force: true }); // a test file beside this one finished first
  }
  return binary;
}

/** Launch options for playwright-core's chromium: the executable, its flags and what it needs to load. */
export async function chromiumLaunchOptions(): Promise<LaunchOptions & { executablePath: string }> {
  const given = process.env['ACCORD_CHROMIUM'];
  if (given) {
    if (!existsSync(given)) throw new Error(`ACCORD_CHROMIUM=${given}: no such file`);
    return { executablePath: given, headless: true, args: ARGS };
  }
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(
      `@sparticuz/chromium ships Chromium for linux-x64 only; on ${process.platform}-${process.arch} set ACCORD_CHROMIUM to a Chromium`,
    );
  }
  const executablePath = await unpackBundled();
  const libraries = [join(CACHE, 'al2023', 'lib'), process.env['LD_LIBRARY_PATH']].filter((p) => p);
  return { executablePath, headless: true, args: ARGS, env: { ...process.env, LD_LIBRARY_PATH: libraries.join(':') } };
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch(await chromiumLaunchOptions());
}
