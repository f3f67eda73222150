import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { nginxConfig, nginxSite } from './nginx-config.ts';

const nodes = ['10.0.0.11:3000', '10.0.0.12:3000', '10.0.0.13:3000'];

describe('the nginx config', () => {
  it('is what the README shows for machines of their own', () => {
    const readme = fs.readFileSync(path.resolve(import.meta.dirname, '../../README.md'), 'utf8');
    const sample = /### nginx in front of several machines[\s\S]*?```nginx\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(sample).toBe(nginxSite({ listen: '80', upstreams: nodes }));
  });

  it('balances over every node and carries the ws upgrade', () => {
    const site = nginxSite({ listen: '127.0.0.1:3000', upstreams: nodes });
    for (const node of nodes) expect(site).toContain(`server ${node} max_fails=1`);
    expect(site).toContain('listen 127.0.0.1:3000;');
    expect(site).toMatch(/location = \/ws \{[^}]*proxy_read_timeout 1h;/);
  });

  it('sends requests to backups only while every node is down', () => {
    const site = nginxSite({ listen: '3000', upstreams: nodes.slice(0, 1), backups: nodes.slice(1) });
    expect(site).toContain(`server ${nodes[0]} max_fails=1 fail_timeout=5s;`);
    for (const node of nodes.slice(1)) expect(site).toContain(`server ${node} backup;`);
    expect(() => nginxSite({ listen: '3000', upstreams: nodes, backups: ['x; include /etc/passwd'] })).toThrow();
  });

  it('keeps a whole config under its prefix, with workers as the given user', () => {
    const conf = nginxConfig({ listen: '127.0.0.1:3000', upstreams: nodes, prefix: '/srv/ngx', user: 'www-data' });
    expect(conf.startsWith('user www-data;\n')).toBe(true);
    for (const line of conf.split('\n').filter((l) => /_path |^pid /.test(l.trim()))) expect(line).toContain(' /srv/ngx/');
    expect(nginxConfig({ listen: '3000', upstreams: nodes, prefix: '/srv/ngx' })).not.toContain('user ');
  });

  it('refuses values that would change the config around them', () => {
    expect(() => nginxSite({ listen: '3000', upstreams: ['10.0.0.11:3000; include /etc/passwd'] })).toThrow();
    expect(() => nginxSite({ listen: '3000 ssl; root /', upstreams: nodes })).toThrow();
    expect(() => nginxSite({ listen: '3000', upstreams: [] })).toThrow();
    expect(() => nginxConfig({ listen: '3000', upstreams: nodes, prefix: '/tmp/x; user root' })).toThrow();
  });
});
