#!/usr/bin/env node
// Builds mediasoup's C++ worker (mediasoup-worker) from the installed npm
// package, offline, against the distribution's system libraries, and installs
// it where mediasoup looks for it by default:
//   node_modules/mediasoup/worker/out/Release/mediasoup-worker
// Run by the project's "postinstall". See README.md beside this file.
//
// Plain Node ESM, Node built-ins only.

import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const RECIPE_DIR = path.dirname(fileURLToPath(import.meta.url));
const PROJECT_ROOT = path.resolve(RECIPE_DIR, '..', '..');
const MEDIASOUP_DIR = path.join(PROJECT_ROOT, 'node_modules', 'mediasoup');
const WORKER_REL = path.join('worker', 'out', 'Release', 'mediasoup-worker');
const TARGET_BIN = path.join(MEDIASOUP_DIR, WORKER_REL);
// Written next to the installed binary: the cache key it was built with.
const STAMP_FILE = `${TARGET_BIN}.hawker-key`;
// mediasoup-worker exits with this code when run without MEDIASOUP_VERSION.
const SANITY_EXIT_CODE = 41;

// Debian packages needed to build, and how to tell whether each is there.
const REQUIRED_COMMANDS = [
  { command: 'meson', pkg: 'meson' },
  { command: 'ninja', pkg: 'ninja-build' },
  { command: 'pkg-config', pkg: 'pkg-config' },
  { command: 'g++', pkg: 'g++' },
  { command: 'python3', pkg: 'python3' },
  { command: 'flatc', pkg: 'flatbuffers-compiler' },
];
const REQUIRED_LIBRARIES = [
  { module: 'openssl', header: 'openssl/ssl.h', pkg: 'libssl-dev' },
  { module: 'libuv', header: 'uv.h', pkg: 'libuv1-dev' },
  { module: 'libsrtp2', header: 'srtp2/srtp.h', pkg: 'libsrtp2-dev' },
  { module: 'absl_flat_hash_map', header: 'absl/container/flat_hash_map.h', pkg: 'libabsl-dev' },
  { module: 'flatbuffers', header: 'flatbuffers/flatbuffers.h', pkg: 'libflatbuffers-dev' },
];
const ALL_PACKAGES = [
  ...new Set([...REQUIRED_COMMANDS, ...REQUIRED_LIBRARIES].map((r) => r.pkg)),
];

const log = (msg) => console.log(`[mediasoup] ${msg}`);
const warn = (msg) => console.warn(`[mediasoup] warning: ${msg}`);

class BuildError extends Error {}

function fail(msg) {
  throw new BuildError(msg);
}

function formatDuration(ms) {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

// Runs the worker without MEDIASOUP_VERSION: a working binary (all its shared
// libraries found) exits with 41 straight away.
function sanityCheck(bin) {
  if (!fs.existsSync(bin)) return { ok: false, reason: 'missing' };
  const env = { ...process.env };
  delete env.MEDIASOUP_VERSION;
  const res = spawnSync(bin, [], { env, stdio: ['ignore', 'ignore', 'pipe'], timeout: 15000 });
  if (res.status === SANITY_EXIT_CODE) return { ok: true };
  const stderr = res.stderr ? res.stderr.toString().trim().split('\n').slice(-3).join(' | ') : '';
  const how = res.error
    ? res.error.message
    : res.signal
      ? `killed by ${res.signal}`
      : `exit code ${res.status}`;
  return { ok: false, reason: `${how}${stderr ? `: ${stderr}` : ''}` };
}

function listRecipeFiles(dir, base = dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listRecipeFiles(full, base));
    else if (entry.isFile()) out.push(path.relative(base, full).split(path.sep).join('/'));
  }
  return out.sort();
}

// mediasoup version + platform + hash of every file of this recipe (the
// Markdown docs aside: they do not change the binary).
function cacheKey(version) {
  const hash = createHash('sha256');
  for (const rel of listRecipeFiles(RECIPE_DIR).filter((f) => !f.endsWith('.md'))) {
    hash.update(`${rel}\0`);
    hash.update(fs.readFileSync(path.join(RECIPE_DIR, rel)));
    hash.update('\0');
  }
  return `${version}-${process.platform}-${process.arch}-${hash.digest('hex').slice(0, 16)}`;
}

function cacheRoot() {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'hawker', 'mediasoup-worker');
}

// Copy to a temporary name in the destination folder, then rename, so that an
// interrupted copy never leaves a truncated binary in place.
function installFile(src, dest) {
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  const tmp = `${dest}.tmp-${process.pid}`;
  try {
    fs.copyFileSync(src, tmp);
    fs.chmodSync(tmp, 0o755);
    fs.renameSync(tmp, dest);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

function writeStamp(key) {
  fs.writeFileSync(STAMP_FILE, `${key}\n`);
}

function readStamp() {
  try {
    return fs.readFileSync(STAMP_FILE, 'utf8').trim();
  } catch {
    return null;
  }
}

function findOnPath(command) {
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

function checkPrerequisites() {
  const missing = new Set();
  for (const { command, pkg } of REQUIRED_COMMANDS) {
    if (!findOnPath(command)) missing.add(pkg);
  }
  const havePkgConfig = Boolean(findOnPath('pkg-config'));
  const multiarch = spawnSync('gcc', ['-print-multiarch'], { encoding: 'utf8' }).stdout?.trim();
  const includeDirs = ['/usr/include', ...(multiarch ? [`/usr/include/${multiarch}`] : [])];
  for (const { module, header, pkg } of REQUIRED_LIBRARIES) {
    const found = havePkgConfig
      ? spawnSync('pkg-config', ['--exists', module]).status === 0
      : includeDirs.some((d) => fs.existsSync(path.join(d, header)));
    if (!found) missing.add(pkg);
  }
  if (missing.size > 0) {
    const list = ALL_PACKAGES.filter((p) => missing.has(p));
    const sudo = typeof process.getuid === 'function' && process.getuid() !== 0 ? 'sudo ' : '';
    fail(
      `cannot build mediasoup-worker: missing system packages: ${list.join(', ')}\n` +
        `  Install them (Debian 12) with:\n` +
        `    ${sudo}apt-get update && ${sudo}apt-get install -y ${ALL_PACKAGES.join(' ')}\n` +
        `  then run: npm run postinstall   (or: node scripts/mediasoup/build-worker.mjs)`,
    );
  }
}

function versionLessThan(a, b) {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] || 0;
    const y = pb[i] || 0;
    if (x !== y) return x < y;
  }
  return false;
}

// Puts the shim subprojects into the scratch copy: each folder of
// scripts/mediasoup/subprojects/<wrap name> goes where mediasoup's
// subprojects/<wrap name>.wrap says the sources live ("directory ="), so meson
// uses it instead of downloading anything.
function installShims(workerDir) {
  const shimsDir = path.join(RECIPE_DIR, 'subprojects');
  for (const name of fs.readdirSync(shimsDir).sort()) {
    const wrapFile = path.join(workerDir, 'subprojects', `${name}.wrap`);
    if (!fs.existsSync(wrapFile)) {
      log(`  (no ${name}.wrap in this mediasoup version, shim not needed)`);
      continue;
    }
    const match = fs.readFileSync(wrapFile, 'utf8').match(/^\s*directory\s*=\s*(\S+)\s*$/m);
    const dirName = match ? match[1] : name;
    const dest = path.join(workerDir, 'subprojects', dirName);
    fs.rmSync(dest, { recursive: true, force: true });
    fs.cpSync(path.join(shimsDir, name), dest, { recursive: true });
  }
}

// mediasoup's meson.build may ask for a newer meson than the distribution's;
// the build works with Debian 12's meson 1.0.1, so lower the requirement to the
// installed version in the scratch copy.
function relaxMesonVersion(workerDir, mesonVersion) {
  const file = path.join(workerDir, 'meson.build');
  const text = fs.readFileSync(file, 'utf8');
  const re = /meson_version\s*:\s*'>=\s*([0-9.]+)'/;
  const m = text.match(re);
  if (m && versionLessThan(mesonVersion, m[1])) {
    log(`relaxing meson_version '>= ${m[1]}' to '>= ${mesonVersion}' (installed meson)`);
    fs.writeFileSync(file, text.replace(re, `meson_version: '>= ${mesonVersion}'`));
  }
}

// mediasoup's BIO callback on the DTLS "to network" BIO answers every
// BIO_CB_RETURN phase other than a bare one with 1. For BIO_ctrl that turns
// BIO_get_ktls_send() into "yes": Debian's OpenSSL is built with kernel TLS, so
// it then skips allocating its write buffer and the first DTLS handshake record
// is written through a null pointer (worker SIGSEGV in SSL_read on the first
// browser connection). mediasoup's bundled OpenSSL has KTLS compiled out, which
// hides this. Passing the real return value through for every *_RETURN phase
// keeps writes as they were (OpenSSL's ex-style write returns 1 on success) and
// answers ctrl queries truthfully.
function patchDtlsBioCallback(workerDir) {
  const file = path.join(workerDir, 'src', 'RTC', 'DtlsTransport.cpp');
  const text = fs.readFileSync(file, 'utf8');
  const from = '(operationType == BIO_CB_RETURN) ? static_cast<long>(ret) : 1';
  const to = '((operationType & BIO_CB_RETURN) != 0) ? static_cast<long>(ret) : 1';
  if (!text.includes(from)) {
    if (text.includes(to)) return;
    throw new Error('DtlsTransport.cpp changed: review the BIO callback patch in scripts/mediasoup/build-worker.mjs');
  }
  log('patching the DTLS BIO callback for an OpenSSL built with kernel TLS');
  fs.writeFileSync(file, text.replace(from, to));
}

function mesonOptions(workerDir) {
  const optionsFile = path.join(workerDir, 'meson_options.txt');
  const text = fs.existsSync(optionsFile) ? fs.readFileSync(optionsFile, 'utf8') : '';
  const has = (name) => new RegExp(`option\\(\\s*'${name}'`).test(text);
  const args = [];
  if (has('ms_disable_liburing')) args.push('-Dms_disable_liburing=true');
  if (has('ms_build_tests')) args.push('-Dms_build_tests=false');
  if (has('ms_build_fuzzer')) args.push('-Dms_build_fuzzer=false');
  return args;
}

// Runs a command, appends its output to the build log, and hands each output
// line to onLine (for progress). Rejects with the tail of the output on failure.
function run(cmd, args, { cwd, logStream, onLine = () => {}, env = process.env }) {
  return new Promise((resolve, reject) => {
    logStream.write(`\n$ ${cmd} ${args.join(' ')}\n`);
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const tail = [];
    let pending = '';
    const onData = (chunk) => {
      logStream.write(chunk);
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop();
      for (const line of lines) {
        tail.push(line);
        if (tail.length > 80) tail.shift();
        onLine(line);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (err) => reject(new BuildError(`${cmd}: ${err.message}`)));
    child.on('close', (code, signal) => {
      if (pending) tail.push(pending);
      if (code === 0) resolve();
      else
        reject(
          new BuildError(
            `${cmd} ${args[0]} failed (${signal ? `signal ${signal}` : `exit code ${code}`}); ` +
              `last lines:\n${tail.slice(-40).join('\n')}`,
          ),
        );
    });
  });
}

// Prints ninja's "[n/total] ..." lines at most every 5% or every 15 seconds.
function ninjaProgress(label) {
  let lastPct = -1;
  let lastTime = 0;
  return (line) => {
    const m = line.match(/^\[(\d+)\/(\d+)\]\s*(.*)$/);
    if (!m) return;
    const done = Number(m[1]);
    const total = Number(m[2]);
    const pct = Math.floor((done * 100) / total);
    const now = Date.now();
    if (done === total || pct >= lastPct + 5 || now - lastTime >= 15000) {
      lastPct = pct;
      lastTime = now;
      const what = m[3].replace(/^Compiling \S+ object /, '').slice(0, 90);
      log(`${label} [${done}/${total}] ${String(pct).padStart(3)}%  ${what}`);
    }
  };
}

async function build(workerSrc, key, cacheBin, logPath) {
  checkPrerequisites();
  const mesonVersion = spawnSync('meson', ['--version'], { encoding: 'utf8' }).stdout.trim();

  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'hawker-mediasoup-worker-'));
  const cleanup = () => fs.rmSync(scratch, { recursive: true, force: true });
  const onSignal = (sig) => {
    cleanup();
    process.exit(sig === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    fs.mkdirSync(path.dirname(logPath), { recursive: true });
    fs.accessSync(path.dirname(logPath), fs.constants.W_OK);
  } catch {
    logPath = path.join(os.tmpdir(), path.basename(logPath));
  }
  const logStream = fs.createWriteStream(logPath);
  const started = Date.now();
  try {
    const workerDir = path.join(scratch, 'worker');
    log(`copying mediasoup/worker to a scratch folder (${scratch})`);
    // Never edit the installed package: work on a copy, leaving out any
    // previous build output or downloaded subprojects.
    fs.cpSync(workerSrc, workerDir, {
      recursive: true,
      filter: (src) => {
        const rel = path.relative(workerSrc, src);
        return rel !== 'out' && !rel.startsWith(`out${path.sep}`);
      },
    });
    installShims(workerDir);
    relaxMesonVersion(workerDir, mesonVersion);
    patchDtlsBioCallback(workerDir);

    const buildDir = path.join(workerDir, 'build');
    const setupArgs = [
      'setup',
      '--buildtype=release',
      '-Db_ndebug=true',
      '--wrap-mode=nodownload',
      ...mesonOptions(workerDir),
      buildDir,
    ];
    log(`configuring with meson ${mesonVersion}…`);
    await run('meson', setupArgs, { cwd: workerDir, logStream });

    const jobs = Number(process.env.MEDIASOUP_MAX_CORES) > 0 ? ['-j', process.env.MEDIASOUP_MAX_CORES] : [];
    log('generating FlatBuffers headers (flatc)…');
    await run('meson', ['compile', '-C', buildDir, ...jobs, 'flatbuffers-generator'], {
      cwd: workerDir,
      logStream,
    });
    log(`compiling mediasoup-worker (a few minutes on 2 cores; full log: ${logPath})…`);
    await run('meson', ['compile', '-C', buildDir, ...jobs, 'mediasoup-worker'], {
      cwd: workerDir,
      logStream,
      onLine: ninjaProgress('compiling'),
    });

    const builtBin = path.join(buildDir, 'mediasoup-worker');
    const check = sanityCheck(builtBin);
    if (!check.ok) fail(`the freshly built worker failed its sanity check (${check.reason})`);
    log(`built in ${formatDuration(Date.now() - started)}`);

    try {
      installFile(builtBin, cacheBin);
      log(`cached as ${cacheBin}`);
    } catch (err) {
      warn(`could not write the cache (${err.message}); continuing without it`);
    }
    installFile(builtBin, TARGET_BIN);
    writeStamp(key);
  } catch (err) {
    if (err instanceof BuildError) err.message += `\n  full build log: ${logPath}`;
    throw err;
  } finally {
    await new Promise((resolve) => logStream.end(resolve));
    cleanup();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

async function main() {
  const started = Date.now();
  const pkgJson = path.join(MEDIASOUP_DIR, 'package.json');
  if (!fs.existsSync(pkgJson)) {
    fail(`${path.relative(PROJECT_ROOT, MEDIASOUP_DIR)} is not installed; run npm install first`);
  }
  const version = JSON.parse(fs.readFileSync(pkgJson, 'utf8')).version;

  // An explicit worker binary given by the user wins. "skip" is what the
  // project's setup sets so that mediasoup's own postinstall does nothing; it
  // is not a binary, so build ours.
  const envBin = process.env.MEDIASOUP_WORKER_BIN;
  if (envBin && envBin !== 'skip') {
    if (fs.existsSync(envBin) && fs.statSync(envBin).isFile()) {
      log(`MEDIASOUP_WORKER_BIN=${envBin} is set; using it, not building the worker`);
      return;
    }
    warn(
      `MEDIASOUP_WORKER_BIN=${envBin} is not an existing file; building the worker into ` +
        `node_modules/mediasoup anyway (unset MEDIASOUP_WORKER_BIN when running the app)`,
    );
  }

  const key = cacheKey(version);

  // 1. Already installed and working: nothing to do. A binary stamped with an
  // older recipe is rebuilt; an unstamped one (not built by this script, e.g.
  // mediasoup's own prebuilt) is kept as long as it works.
  const stamp = readStamp();
  if ((stamp === null || stamp === key) && sanityCheck(TARGET_BIN).ok) {
    log(`mediasoup-worker ${version} already installed and working; nothing to do`);
    return;
  }

  // 2. Built before on this machine: copy from the cache.
  const cacheDir = path.join(cacheRoot(), key);
  const cacheBin = path.join(cacheDir, 'mediasoup-worker');
  if (fs.existsSync(cacheBin)) {
    const cached = sanityCheck(cacheBin);
    if (cached.ok) {
      installFile(cacheBin, TARGET_BIN);
      writeStamp(key);
      const check = sanityCheck(TARGET_BIN);
      if (!check.ok) fail(`installed worker failed its sanity check (${check.reason})`);
      log(`mediasoup-worker ${version} installed from cache (${cacheBin}) in ${formatDuration(Date.now() - started)}`);
      return;
    }
    warn(`cached worker does not run (${cached.reason}); rebuilding it`);
  }

  // 3. Build it.
  log(`building mediasoup-worker ${version} from source against the system libraries`);
  await build(path.join(MEDIASOUP_DIR, 'worker'), key, cacheBin, path.join(cacheRoot(), `build-${key}.log`));
  const check = sanityCheck(TARGET_BIN);
  if (!check.ok) fail(`installed worker failed its sanity check (${check.reason})`);
  log(`mediasoup-worker ${version} installed at ${path.relative(PROJECT_ROOT, TARGET_BIN)} (sanity check: exit code ${SANITY_EXIT_CODE})`);
}

main().catch((err) => {
  console.error(`[mediasoup] error: ${err instanceof BuildError ? err.message : err.stack || err}`);
  process.exit(1);
});
