/**
 * The deployment files in deploy/: the systemd units parse (`systemd-analyze verify`, which
 * names unknown keys and bad values on stderr while still exiting 0, so stderr must be empty),
 * keep their sandbox, point at the paths the code uses, and the proxy examples keep client
 * addresses out of logs and out of the requests tipline receives.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { onionPaths } from '../../server/onion.js';

const DEPLOY = join(import.meta.dirname, '../../deploy');
const ANALYZE = '/usr/bin/systemd-analyze';
const hasAnalyze = existsSync(ANALYZE);
if (!hasAnalyze) console.log(`systemd unit checks skipped: ${ANALYZE} is not installed (npm test's pretest installs the systemd package when run as root)`);

function verify(file: string): { code: number | null; stderr: string } {
  const r = spawnSync(ANALYZE, ['verify', file], { encoding: 'utf8', env: { ...process.env, SYSTEMD_LOG_COLOR: '0' } });
  return { code: r.status, stderr: r.stderr.trim() };
}

const unit = (name: string) => readFileSync(join(DEPLOY, name), 'utf8');
const settings = (text: string) => text.split('\n').filter((l) => /^[A-Z]\w*=/.test(l));

describe('systemd units', () => {
  it.skipIf(!hasAnalyze)('both units pass systemd-analyze verify without a warning', () => {
    for (const name of ['tipline.service', 'tipline-tor.service']) {
      const r = verify(join(DEPLOY, name));
      expect(r.stderr, name).toBe('');
      expect(r.code, name).toBe(0);
    }
  });

  it.skipIf(!hasAnalyze)('the check sees a misspelt key and a bad value (so an empty stderr means something)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tipline-unit-'));
    try {
      const bad = join(dir, 'tipline.service');
      writeFileSync(bad, unit('tipline.service').replace('ProtectSystem=strict', 'ProtectSystm=strict').replace('AF_INET AF_INET6 AF_UNIX', 'AF_BOGUS'));
      const r = verify(bad);
      expect(r.stderr).toMatch(/Unknown key 'ProtectSystm'/);
      expect(r.stderr).toMatch(/AF_BOGUS/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the server unit is sandboxed, read-only but for its data dir, and leaves MemoryDenyWriteExecute off for V8', () => {
    const s = settings(unit('tipline.service'));
    for (const line of [
      'User=tipline',
      'NoNewPrivileges=yes',
      'ProtectSystem=strict',
      'ProtectHome=yes',
      'PrivateTmp=yes',
      'PrivateDevices=yes',
      'ReadWritePaths=/var/lib/tipline',
      'StateDirectoryMode=0700',
      'UMask=0077',
      'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX',
      'SystemCallFilter=@system-service',
      'CapabilityBoundingSet=',
      'IPAddressDeny=any',
      'Environment=TIPLINE_DATA_DIR=/var/lib/tipline',
      'Environment=HOST=127.0.0.1',
      'Environment=TIPLINE_BUILD_CLIENT=0',
    ]) {
      expect(s, line).toContain(line);
    }
    expect(s.some((l) => l.startsWith('MemoryDenyWriteExecute'))).toBe(false);
    expect(s.some((l) => l.startsWith('ReadWritePaths=') && l !== 'ReadWritePaths=/var/lib/tipline')).toBe(false);
  });

  it('the tor unit runs the torrc tipline onion writes, as the same user, writing only the onion folder', () => {
    const text = unit('tipline-tor.service');
    const torrc = onionPaths('/var/lib/tipline').torrc;
    expect(text).toContain(`ExecStart=/usr/sbin/tor --defaults-torrc /dev/null -f ${torrc}\n`);
    expect(settings(text)).toContain('User=tipline');
    expect(settings(text)).toContain(`ReadWritePaths=${onionPaths('/var/lib/tipline').dir}`);
    expect(settings(text)).toContain('ProtectSystem=strict');
  });
});

describe('reverse proxy examples', () => {
  /** Lines that are not comments. */
  const active = (text: string) =>
    text
      .split('\n')
      .map((l) => l.replace(/#.*$/, '').trim())
      .filter(Boolean);

  it('nginx: TLS, no access log in any server block, no client address forwarded or logged', () => {
    const lines = active(readFileSync(join(DEPLOY, 'nginx.conf'), 'utf8'));
    const text = lines.join('\n');
    expect(text).toMatch(/listen 443 ssl/);
    expect(text).toMatch(/ssl_protocols TLSv1\.2 TLSv1\.3;/);
    expect(lines.filter((l) => l.startsWith('server {')).length).toBe(lines.filter((l) => l === 'access_log off;').length - 1);
    expect(lines.filter((l) => l.startsWith('access_log')).every((l) => l === 'access_log off;')).toBe(true);
    expect(text).not.toMatch(/\$remote_addr|\$proxy_add_x_forwarded_for|\$binary_remote_addr|log_format/);
    expect(text).toContain('proxy_set_header X-Forwarded-For "";');
    expect(text).toContain('proxy_set_header X-Real-IP "";');
    expect(text).toContain('proxy_pass http://127.0.0.1:8080;');
  });

  it('Caddy: no request log, forwarding headers dropped', () => {
    const lines = active(readFileSync(join(DEPLOY, 'Caddyfile'), 'utf8'));
    const text = lines.join('\n');
    expect(text).not.toMatch(/\boutput\b|format\s+json|\{remote/);
    expect(text).toContain('header_up -X-Forwarded-For');
    expect(text).toContain('reverse_proxy 127.0.0.1:8080');
  });
});
