// The consumer test (npm run test:consumer; CI runs it after the unit tests). The packages as a user gets them:
//   1. build them, `npm pack` each, and `npm publish --dry-run` each (clean: no warning at all);
//   2. an engine-only install into an empty project: at most 10 MB, internals not importable, and plain-Node ESM and
//      CJS programs train (one thread and two);
//   3. all five packages into another empty project (no tsx, no TypeScript there): `npx rnnlab train --quick` and
//      `npx rnnlab paper --scale tiny` (worker threads, the authors' data);
//   4. a fresh clone of this repository: `npm ci --omit=dev && npx rnnlab train --quick`;
//   5. the packages' README examples, run against the installed packages;
//   6. a TypeScript consumer under tsc --strict with noUncheckedIndexedAccess, without skipLibCheck (ESM and CJS,
//      module node16, and moduleResolution bundler);
//   7. the /gpujs entry with gpu.js and webgpu@0.6.2 installed beside the engine: webasm, cpu and WebGPU (Dawn);
//   8. the core entry bundled for the browser by esbuild (no Node module, no gpu.js may end up in it) and run in
//      headless Chromium on jsBackend and wasm-simd, served cross-origin isolated and again without isolation.
// Every step prints what it checked; the run exits non-zero when any check failed.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const WORK = fs.mkdtempSync(path.join(os.tmpdir(), 'rnnlab-consumer-'));
const PACKAGES = ['engine', 'tasks', 'analysis', 'experiments', 'cli'];
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p));
let failures = 0;

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return r;
}
function check(what, ok, detail = '') {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${detail ? `: ${detail}` : ''}`);
  if (!ok) failures++;
}
async function step(title, fn) {
  console.log(`\n== ${title}`);
  try {
    await fn();
  } catch (e) {
    check(title, false, e.message);
  }
}
function duBytes(dir) {
  let total = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) total += duBytes(p);
    else if (e.isFile()) total += fs.statSync(p).size;
  }
  return total;
}
function emptyProject(name, type) {
  const dir = path.join(WORK, name);
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', private: true, type }));
  return dir;
}
const npmInstall = (dir, tarballs) =>
  sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--omit=dev', ...tarballs], { cwd: dir });
const learned = (r) => r && Number.isFinite(r.before) && Number.isFinite(r.after) && r.after < r.before;

const tarball = {};
await step('build, pack and publish --dry-run', () => {
  sh('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  const packs = path.join(WORK, 'packs');
  fs.mkdirSync(packs);
  for (const p of PACKAGES) {
    const r = sh('npm', ['pack', '--json', '-w', p, '--pack-destination', packs], { cwd: ROOT });
    const info = JSON.parse(r.stdout)[0];
    tarball[p] = path.join(packs, info.filename);
    const files = info.files.map((f) => f.path);
    const stray = files.filter((f) => /\.ts$/.test(f) && !/\.d\.m?ts$/.test(f));
    check(
      `@rnnlab/${p} packs ${files.length} files, ${(info.unpackedSize / 1e3).toFixed(0)} kB unpacked`,
      stray.length === 0 && files.includes('LICENSE') && files.includes('README.md'),
      stray.length ? `TypeScript sources in the tarball: ${stray.slice(0, 3).join(', ')}` : '',
    );
    // A placeholder token stands in for a login (nothing is sent in a dry run); any warning left is a real one.
    const pub = sh('npm', ['publish', '--dry-run', '-w', p, '--//registry.npmjs.org/:_authToken=dry-run'], {
      cwd: ROOT,
    });
    const warnings = (pub.stderr + pub.stdout).split('\n').filter((l) => /npm (warn|error)/i.test(l));
    check(`@rnnlab/${p}: npm publish --dry-run is clean`, warnings.length === 0, warnings.join(' | '));
  }
});

await step('engine alone in an empty project: size, ESM and CommonJS programs', () => {
  const dir = emptyProject('engine-only', 'module');
  npmInstall(dir, [tarball.engine]);
  const mb = duBytes(path.join(dir, 'node_modules')) / 1e6;
  check('engine-only install is at most 10 MB', mb <= 10, `${mb.toFixed(2)} MB`);
  const installed = fs.readdirSync(path.join(dir, 'node_modules'));
  check(
    'no GPU, plotting or TypeScript package installed',
    !installed.some((n) => /^(gpu\.js|webgpu|vega|vega-lite|tsx|typescript)$/.test(n)),
    installed.join(' '),
  );
  for (const f of ['engine-esm.mjs', 'engine-cjs.cjs', 'steps.cjs'])
    fs.copyFileSync(path.join(HERE, f), path.join(dir, f));
  const esm = JSON.parse(sh(process.execPath, ['engine-esm.mjs'], { cwd: dir, timeout: 120000 }).stdout);
  for (const k of ['js', 'wasm', 'threads'])
    check(`ESM: five steps on ${esm[k].backend} lower the loss`, learned(esm[k]), JSON.stringify(esm[k]));
  check(
    'ESM: the threaded backend really runs two threads',
    /x2 threads/.test(esm.threads.backend),
    esm.threads.backend,
  );
  check(
    'ESM: lossAndGradient returns every gradient',
    esm.gradientNames.join() === 'W_in,W_out,W_rec,alpha,b,b_out,h0', // alpha: empty for a scalar-α model
    esm.gradientNames.join(),
  );
  check('ESM import and require() see one package instance (no dual-package hazard)', esm.sameClass === true);
  const internal = spawnSync(process.execPath, ['-e', "require('@rnnlab/engine/dist/rnn.js')"], {
    cwd: dir,
    encoding: 'utf8',
  });
  check(
    'internals are not importable (the exports map names only the entries)',
    /ERR_PACKAGE_PATH_NOT_EXPORTED/.test(internal.stderr),
    internal.stderr.split('\n').find((l) => l.includes('ERR_')) ?? '',
  );
  const cjs = JSON.parse(sh(process.execPath, ['engine-cjs.cjs'], { cwd: dir, timeout: 120000 }).stdout);
  for (const k of ['js', 'threads'])
    check(`CJS: five steps on ${cjs[k].backend} lower the loss`, learned(cjs[k]), JSON.stringify(cjs[k]));
});

let fullDir = '';
await step('all five packages in an empty project: npx rnnlab train --quick', () => {
  fullDir = emptyProject('full', 'module');
  npmInstall(
    fullDir,
    PACKAGES.map((p) => tarball[p]),
  );
  const has = (m) => fs.existsSync(path.join(fullDir, 'node_modules', m));
  check('the command runs without tsx or TypeScript installed', !has('tsx') && !has('typescript'));
  const r = sh('npx', ['--no-install', 'rnnlab', 'train', '--quick', '--out', 'run'], {
    cwd: fullDir,
    timeout: 300000,
  });
  const report = JSON.parse(fs.readFileSync(path.join(fullDir, 'run', 'run.json'), 'utf8'));
  check(
    'rnnlab train --quick trains and writes its run',
    fs.existsSync(path.join(fullDir, 'run', 'model.json')),
    r.stdout.trim().split('\n').slice(-1)[0],
  );
  void report;
  // The experiment pipeline from the packages: its worker threads (experiments' compiled worker) and the authors' data.
  const paper = sh('npx', ['--no-install', 'rnnlab', 'paper', '--scale', 'tiny', '--out', 'paper', '--workers', '2'], {
    cwd: fullDir,
    timeout: 300000,
  });
  check(
    "rnnlab paper --scale tiny runs its workers and merges (authors' tables included)",
    fs.existsSync(path.join(fullDir, 'paper', 'index.html')) && !/WARN/.test(paper.stdout + paper.stderr),
    (paper.stdout + paper.stderr).trim().split('\n').pop(),
  );
  const gpu = spawnSync(
    'npx',
    ['--no-install', 'rnnlab', 'train', '--quick', '--backend', 'gpujs:webasm', '--out', 'run-gpu'],
    { cwd: fullDir, encoding: 'utf8' },
  );
  check(
    'asking for a gpu.js backend without gpu.js installed is one clear line and exit 1',
    gpu.status === 1 && /optional package gpu\.js/.test(gpu.stderr),
    gpu.stderr.trim(),
  );
});

await step('npx rnnlab lab from the installed command: the lab it carries, served with its CSP', async () => {
  const server = spawn(process.execPath, [path.join(fullDir, 'node_modules', '.bin', 'rnnlab'), 'lab', '--port', '0'], {
    cwd: fullDir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const url = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no address printed in 60 s')), 60000);
      let text = '';
      server.stdout.on('data', (d) => {
        text += d;
        const m = /http:\/\/\S+\//.exec(text);
        if (m) resolve(m[0], clearTimeout(timer));
      });
      server.on('exit', (code) => reject(new Error(`rnnlab lab exited with ${code}`)));
    });
    const page = await new Promise((resolve, reject) =>
      http
        .get(url, (res) => {
          let body = '';
          res.on('data', (c) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode, csp: res.headers['content-security-policy'], body }));
        })
        .on('error', reject),
    );
    check(
      'the page is served with its Content-Security-Policy',
      page.status === 200 && /<title>rnnlab lab<\/title>/.test(page.body) && /default-src 'self'/.test(page.csp ?? ''),
      `${page.status} ${page.csp}`,
    );
  } finally {
    server.kill();
  }
});

await step('a fresh clone, production install only: npm ci --omit=dev && npx rnnlab train --quick', () => {
  const clone = path.join(WORK, 'clone');
  sh('git', ['clone', '--quiet', '--no-local', ROOT, clone]);
  const dirty = sh('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT }).stdout.trim();
  if (dirty) console.log('note: the clone is of the last commit; this checkout has uncommitted changes');
  sh('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: clone });
  const has = (m) => fs.existsSync(path.join(clone, 'node_modules', m));
  // (gpu.js does come: npm keeps a root development dependency that the workspaces list as an optional peer.)
  check('the production install has no tsx and no jest', !has('tsx') && !has('jest'));
  const r = sh('npx', ['--no-install', 'rnnlab', 'train', '--quick', '--out', 'run'], { cwd: clone, timeout: 300000 });
  check(
    'npx rnnlab train --quick runs the compiled command',
    fs.existsSync(path.join(clone, 'run', 'model.json')),
    r.stdout.trim().split('\n').pop(),
  );
  // No bundler in a production install: the lab is not built, and the command says how to build it.
  const lab = spawnSync('npx', ['--no-install', 'rnnlab', 'lab', '--port', '0'], { cwd: clone, encoding: 'utf8' });
  check(
    'without the development tools, rnnlab lab says in one line how to build the lab',
    lab.status === 1 && /^rnnlab: error: the lab is not built here: run `npm ci`/.test(lab.stderr),
    lab.stderr.trim(),
  );
});

await step("the packages' README examples, run against the installed packages", () => {
  for (const p of ['engine', 'tasks', 'analysis', 'experiments']) {
    const blocks = [...fs.readFileSync(path.join(ROOT, p, 'README.md'), 'utf8').matchAll(/```js\n([\s\S]*?)```/g)];
    blocks.forEach((m, k) => {
      const file = path.join(fullDir, `readme-${p}-${k}.mjs`);
      fs.writeFileSync(file, m[1]);
      const r = spawnSync(process.execPath, [file], { cwd: fullDir, encoding: 'utf8', timeout: 300000 });
      check(
        `@rnnlab/${p} README example ${k + 1} runs`,
        r.status === 0 && r.stdout.trim() !== '',
        (r.stdout.trim().split('\n').pop() ?? '') + r.stderr.trim().split('\n').slice(-2).join(' '),
      );
    });
  }
});

await step('TypeScript consumer: tsc --strict, noUncheckedIndexedAccess, no skipLibCheck', () => {
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  for (const f of ['typed.mts', 'typed.cts']) fs.copyFileSync(path.join(HERE, f), path.join(fullDir, f));
  const base = {
    strict: true,
    noUncheckedIndexedAccess: true,
    noEmit: true,
    target: 'ES2022',
    lib: ['ES2022'],
    types: ['node'],
    typeRoots: [path.join(ROOT, 'node_modules', '@types')],
  };
  for (const [name, extra, files] of [
    ['node16 (ESM and CJS)', { module: 'node16', moduleResolution: 'node16' }, ['typed.mts', 'typed.cts']],
    ['bundler', { module: 'preserve', moduleResolution: 'bundler' }, ['typed.mts']],
  ]) {
    const cfg = path.join(fullDir, `tsconfig.${name.split(' ')[0]}.json`);
    fs.writeFileSync(cfg, JSON.stringify({ compilerOptions: { ...base, ...extra }, files }));
    const r = spawnSync(process.execPath, [tsc, '-p', cfg], { cwd: fullDir, encoding: 'utf8' });
    check(
      `tsc, module resolution ${name}`,
      r.status === 0,
      (r.stdout + r.stderr).trim().split('\n').slice(0, 8).join('\n'),
    );
  }
});

await step('the /gpujs entry with its optional peers installed (gpu.js, webgpu@0.6.2)', () => {
  const dir = emptyProject('with-gpujs', 'commonjs');
  npmInstall(dir, [tarball.engine, 'gpu.js@2.24.1', 'webgpu@0.6.2']);
  for (const f of ['gpujs.cjs', 'steps.cjs']) fs.copyFileSync(path.join(HERE, f), path.join(dir, f));
  const r = sh(process.execPath, ['gpujs.cjs', 'webasm', 'cpu', 'webgpu'], { cwd: dir, timeout: 180000 });
  const rows = r.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
  for (const row of rows)
    check(
      `gpu.js ${row.mode}: five steps on ${row.backend ?? row.mode} lower the loss`,
      learned(row) && row.backend === `gpujs:${row.mode}`,
      row.error ?? row.device ?? '',
    );
});

await step('the core entry in a browser: esbuild bundle, headless Chromium', async () => {
  const dir = path.join(WORK, 'engine-only');
  fs.copyFileSync(path.join(HERE, 'browser.mjs'), path.join(dir, 'browser.mjs'));
  const esbuild = path.join(ROOT, 'node_modules', '.bin', 'esbuild');
  sh(
    esbuild,
    ['browser.mjs', '--bundle', '--platform=browser', '--format=esm', '--outfile=www/bundle.js', '--log-level=warning'],
    { cwd: dir },
  );
  const bundle = fs.readFileSync(path.join(dir, 'www', 'bundle.js'), 'utf8');
  // esbuild (platform=browser) already fails on an import of a Node module; this also catches require() calls.
  const leaked = ['fs', 'os', 'path', 'v8', 'worker_threads', 'gpu.js', 'webgpu', 'jsfive'].filter((m) =>
    new RegExp(`require\\(["']${m.replace('.', '\\.')}["']\\)`).test(bundle),
  );
  check(
    `the bundle (${(bundle.length / 1e3).toFixed(0)} kB) holds no Node module and no gpu.js`,
    leaked.length === 0,
    leaked.join(', '),
  );
  fs.writeFileSync(
    path.join(dir, 'www', 'index.html'),
    '<!doctype html><meta charset="utf-8"><pre id="out">not run</pre><script type="module" src="bundle.js"></script>\n',
  );
  if (!CHROMIUM) {
    if (process.env.CI === 'true')
      check('Chromium is installed (CI=true)', false, 'apt-get install chromium, or bash .ci/system-deps.sh');
    else
      console.log(
        'SKIPPED the browser run: Debian chromium is not installed (fix: apt-get install chromium, or bash ' +
          '.ci/system-deps.sh)',
      );
    return;
  }
  let isolated = true;
  const server = http.createServer((req, res) => {
    const f = path.join(dir, 'www', req.url === '/' ? 'index.html' : path.basename(req.url));
    if (!fs.existsSync(f)) return res.writeHead(404).end();
    res.writeHead(200, {
      'Content-Type': f.endsWith('.html') ? 'text/html' : 'text/javascript',
      // Shared WebAssembly memory needs a cross-origin isolated page.
      ...(isolated
        ? { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' }
        : {}),
    });
    res.end(fs.readFileSync(f));
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  // One load of the page in a fresh Chromium profile (nothing cached between loads): the page's JSON, or null.
  const loadPage = async () => {
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'chromium-'));
    const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', `--user-data-dir=${profile}`];
    const dom = await run(CHROMIUM, [...flags, '--dump-dom', `http://127.0.0.1:${server.address().port}/`], 120000);
    const text = /<pre id="out">([\s\S]*?)<\/pre>/.exec(dom.stdout)?.[1] ?? '';
    try {
      return JSON.parse(
        text
          .replace(/&quot;/g, '"')
          .replace(/&gt;/g, '>')
          .replace(/&lt;/g, '<')
          .replace(/&amp;/g, '&'),
      );
    } catch {
      check('the page ran', false, `page says "${text.slice(0, 300)}"; ${dom.stderr.split('\n').slice(-3).join(' ')}`);
      return null;
    }
  };
  try {
    const got = await loadPage();
    if (!got) return;
    check('the page is cross-origin isolated (shared WebAssembly memory allowed)', got.crossOriginIsolated === true);
    for (const k of ['js', 'wasm'])
      check(`browser: five steps on ${got[k].backend ?? k} lower the loss`, learned(got[k]), JSON.stringify(got[k]));
    // The same page served without isolation.
    isolated = false;
    const noIso = await loadPage();
    if (!noIso) return;
    check(
      'without cross-origin isolation jsBackend still trains',
      noIso.crossOriginIsolated === false && learned(noIso.js),
      JSON.stringify(noIso),
    );
    // Chromium creates shared WebAssembly memory on any page (it gates only sharing it with workers); where a browser
    // refuses, createWasmBackend must fail with the advice (the refusal itself is spec'd in wasm-backend.spec.ts).
    check(
      'without cross-origin isolation wasm-simd trains or fails with the advice',
      learned(noIso.wasm) || /cross-origin isolated/.test(noIso.wasm?.error ?? ''),
      noIso.wasm?.error ? noIso.wasm.error.split('\n')[0] : `trains (${noIso.wasm?.backend}): this browser allows it`,
    );
  } finally {
    server.close();
  }
});

/** A child process run without blocking this one's event loop (the test server answers Chromium meanwhile). */
function run(cmd, args, timeoutMs) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '',
      stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

fs.rmSync(WORK, { recursive: true, force: true });
console.log(failures ? `\n${failures} check(s) failed` : '\nall consumer checks passed');
process.exit(failures ? 1 : 0);
