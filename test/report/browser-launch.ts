// Headless Chromium for the browser tests, driven by playwright-core. A system chromium is used when
// there is one (CHROMIUM_PATH if set, else /usr/bin/chromium); otherwise the build shipped by the
// @sparticuz/chromium devDependency, with the NSS libraries of its al2023 bundle and its fonts, so a
// fresh machine needs nothing beyond `npm ci`. No browser is downloaded. When none starts, this throws.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import packaged from '@sparticuz/chromium';
import { chromium, type Browser, type Page } from 'playwright-core';
import { pathToFileURL } from 'node:url';

const SYSTEM_CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Launches the system chromium if there is one, else the packaged one; throws a clear error if neither starts. */
export async function launchBrowser(): Promise<Browser> {
  const system = process.env.CHROMIUM_PATH || (existsSync(SYSTEM_CHROMIUM) ? SYSTEM_CHROMIUM : undefined);
  if (system !== undefined) {
    if (!existsSync(system)) throw new Error(`CHROMIUM_PATH=${system} does not exist`);
    return launch(system, process.env, 'the system chromium');
  }
  const dir = await unpackPackaged();
  const env = {
    ...process.env,
    LD_LIBRARY_PATH: [join(dir, 'al2023', 'lib'), process.env.LD_LIBRARY_PATH].filter(Boolean).join(':'),
    FONTCONFIG_PATH: join(dir, 'fontconfig'),
  };
  return launch(join(dir, 'chromium'), env, 'the Chromium of @sparticuz/chromium');
}

async function launch(executablePath: string, env: NodeJS.ProcessEnv, what: string): Promise<Browser> {
  try {
    return await chromium.launch({ executablePath, args: ARGS, env, headless: true, timeout: 60_000 });
  } catch (e) {
    throw new Error(`could not launch ${what} (${executablePath}): ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * Unpacks the packaged Chromium (about 200 MB) once per package version into its own folder of the
 * temp directory and returns that folder: chromium, al2023/lib (NSS, NSPR, expat), fonts/, the
 * SwiftShader libraries and a fontconfig/fonts.conf. It is unpacked into a fresh folder and renamed
 * into place, so a concurrent run never sees a half-written one.
 */
async function unpackPackaged(): Promise<string> {
  const root = join(dirname(createRequire(import.meta.url).resolve('@sparticuz/chromium')), '..', '..');
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  const dir = join(tmpdir(), `lsim-chromium-${version}`);
  if (existsSync(dir)) return dir;
  const staging = mkdtempSync(`${dir}-`);
  // executablePath() inflates into os.tmpdir(), and adds the al2023 bundle only where it believes it
  // runs on Amazon Linux 2023; AWS_LAMBDA_JS_RUNTIME=nodejs20.x tells it so (it changes nothing else
  // when set after the module is loaded). Both variables are restored right after.
  const saved = { TMPDIR: process.env.TMPDIR, AWS_LAMBDA_JS_RUNTIME: process.env.AWS_LAMBDA_JS_RUNTIME };
  process.env.TMPDIR = staging;
  process.env.AWS_LAMBDA_JS_RUNTIME = 'nodejs20.x';
  try {
    await packaged.executablePath();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
  if (!existsSync(join(staging, 'al2023', 'lib', 'libnss3.so'))) throw new Error(`@sparticuz/chromium did not unpack its al2023 libraries into ${staging}`);
  // The package's own fonts.conf names /tmp/fonts; this one names the unpacked fonts and keeps the system's.
  mkdirSync(join(staging, 'fontconfig'));
  writeFileSync(
    join(staging, 'fontconfig', 'fonts.conf'),
    `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n  <dir>${join(dir, 'fonts', 'fonts')}</dir>\n  <cachedir>${join(dir, 'fontconfig', 'cache')}</cachedir>\n</fontconfig>\n`,
  );
  try {
    renameSync(staging, dir);
  } catch (e) {
    // Another run renamed its copy into place first: use that one.
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(dir)) throw e;
  }
  return dir;
}

/**
 * Opens `path` (a file on disk) in a fresh offline context: the page may load only itself (and `blob:`
 * URLs it makes, such as the playground's worker); anything else is refused and listed in `requested`,
 * and errors the page throws are collected in `errors`. The caller waits for its own ready marker.
 */
export async function openOffline(browser: Browser, path: string, requested: string[], viewport = { width: 1280, height: 900 }): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport, offline: true });
  const own = (url: string) => url.startsWith('file:') || url.startsWith('blob:') || url.startsWith('data:');
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (own(url)) return route.continue();
    requested.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => {
    if (!own(r.url()) && !requested.includes(r.url())) requested.push(r.url());
  });
  await page.goto(pathToFileURL(path).href);
  return { page, errors };
}
