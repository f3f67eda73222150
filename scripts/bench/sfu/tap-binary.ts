import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const SOURCE = new URL('./rtp-tap.c', import.meta.url);

/** rtp-tap.c built with the system's C compiler (`CC`, else cc), once per version of the source. */
export function tapBinary(): string {
  const source = fs.readFileSync(SOURCE);
  const hash = crypto.createHash('sha256').update(source).digest('hex').slice(0, 12);
  const bin = path.join(os.tmpdir(), `hawker-rtp-tap-${hash}`);
  if (!fs.existsSync(bin)) {
    const building = `${bin}.${process.pid}`;
    execFileSync(process.env.CC ?? 'cc', ['-O2', '-o', building, SOURCE.pathname], { stdio: 'inherit' });
    fs.renameSync(building, bin); // concurrent builds each finish whole
  }
  return bin;
}
