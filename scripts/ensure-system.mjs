#!/usr/bin/env node
// Runs after `npm ci`: makes sure the Debian packages yangguang uses at run time and in tests are present.
// As root it installs what is missing with apt-get, saying so; otherwise it prints the exact command.
// Never fails the install: the program itself explains again what it lacks when it needs it.
// Set YANGGUANG_SKIP_SYSTEM_CHECK=1 to skip.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Debian package → the command that shows it is installed. */
const needed = [
  { pkg: 'redis-server', command: 'redis-server', why: 'the queues (unless REDIS_URL points at a Redis)' },
  { pkg: 'chromium', command: 'chromium', why: 'crawling JavaScript-rendered portals and the browser tests' },
  { pkg: 'poppler-utils', command: 'pdftotext', why: 'the PDF speed baseline in npm run bench' },
  { pkg: 'tesseract-ocr', command: 'tesseract', why: 'OCR of scanned reports (image-only PDF pages, image attachments)' },
  {
    pkg: 'tesseract-ocr-chi-sim',
    file: '/usr/share/tesseract-ocr/5/tessdata/chi_sim.traineddata',
    why: "tesseract's Simplified Chinese model",
  },
  {
    pkg: 'fonts-noto-cjk',
    file: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
    why: 'Chinese text in Chromium: the scan generator, the report and UI screenshot tests',
  },
];

if (process.env.YANGGUANG_SKIP_SYSTEM_CHECK === '1') process.exit(0);
if (process.platform !== 'linux' || !existsSync('/usr/bin/apt-get')) {
  const missing = needed.filter((entry) => !present(entry));
  for (const { pkg, why } of missing) console.warn(`yangguang: ${pkg} not found (needed for ${why}); install it with your package manager`);
  process.exit(0);
}

const missing = needed.filter((entry) => !present(entry));
if (missing.length === 0) process.exit(0);

const packages = missing.map(({ pkg }) => pkg);
for (const { pkg, why } of missing) console.log(`yangguang: ${pkg} is missing (needed for ${why})`);
if (process.getuid?.() === 0) {
  console.log(`yangguang: running as root, installing with apt-get: ${packages.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
  const install =
    update.status === 0 && spawnSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...packages], { stdio: 'inherit', env });
  if (!install || install.status !== 0)
    console.warn(`yangguang: apt-get failed; run it yourself: apt-get install -y ${packages.join(' ')}`);
} else {
  console.log(`yangguang: install them with:\n  sudo apt-get update && sudo apt-get install -y ${packages.join(' ')}`);
}

function present({ command, file }) {
  return file ? existsSync(file) : onPath(command);
}

function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}
