/**
 * nginx in front of a cluster's nodes. The local cluster, its tests and the README's sample all come
 * from here, so what is tested is what is run and what is documented.
 */

export interface NginxSite {
  /** What nginx's `listen` takes: `127.0.0.1:3000` locally, `80` (with TLS added) on a front machine. */
  listen: string;
  /** The nodes, `host:port` each; every node serves every request. */
  upstreams: string[];
  /** Nodes that take requests only while every one of `upstreams` is down (a standby, or a test's failover). */
  backups?: string[];
}

// The values go into the config text as they are: nothing that could end a directive.
const HOST_PORT = /^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):\d{1,5}$/;
const LISTEN = /^(([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):)?\d{1,5}$/;

/** Throws unless `listen` and every upstream can go into a config as they are. */
export function checkAddresses({ listen, upstreams, backups = [] }: NginxSite): void {
  if (upstreams.length === 0) throw new Error('nginx needs at least one node');
  if (!LISTEN.test(listen)) throw new Error(`not an nginx listen address: ${listen}`);
  const bad = [...upstreams, ...backups].find((u) => !HOST_PORT.test(u));
  if (bad) throw new Error(`not a host:port: ${bad}`);
}

/** Throws unless `file` is a path nginx reads as one word. */
export function checkPath(file: string): void {
  if (!file || /[\s;{}'"$]/.test(file)) throw new Error(`path unfit for nginx config: ${file}`);
}

/** The http-level part (a `conf.d` file on a front machine): the nodes' upstream and one server proxying HTTP and the ws upgrade. */
export function nginxSite({ listen, upstreams, backups = [] }: NginxSite): string {
  checkAddresses({ listen, upstreams, backups });
  return `map $http_upgrade $hawker_connection {
    default upgrade;
    ''      close;
}

upstream hawker_nodes {
    # Shared by nginx's workers, so one failure marks a node down for all of them.
    zone hawker_nodes 64k;
${[...upstreams.map((u) => `    server ${u} max_fails=1 fail_timeout=5s;`), ...backups.map((u) => `    server ${u} backup;`)].join('\n')}
}

server {
    listen ${listen};
    # Product images are up to 5 MiB; Hawker checks each upload's own limit.
    client_max_body_size 6m;

    proxy_http_version 1.1;
    # With the port: Hawker compares a request's Origin with its Host.
    proxy_set_header Host $http_host;
    proxy_set_header Upgrade $http_upgrade;
    proxy_set_header Connection $hawker_connection;
    # Nodes trust these only from the addresses in their TRUST_PROXY.
    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    proxy_set_header X-Forwarded-Proto $scheme;
    # A node that refuses or does not answer is skipped; a POST it may have begun is never sent again.
    proxy_connect_timeout 2s;
    proxy_next_upstream error timeout;

    location / {
        proxy_pass http://hawker_nodes;
    }

    # Room sockets stay open for the whole show; the node pings each one every 15 s.
    location = /ws {
        proxy_pass http://hawker_nodes;
        proxy_read_timeout 1h;
        proxy_send_timeout 1h;
    }
}
`;
}

export interface NginxProcess {
  /** Its pid and temporary files go here. */
  prefix: string;
  /** The workers' account, when nginx starts as root. */
  user?: string;
}

/**
 * A whole nginx.conf, run in the foreground (`nginx -p prefix -c file`), that writes its pid and
 * temporary files under `prefix` and logs errors to stderr. `user` names the workers' account when
 * nginx starts as root; the temporary folders are created for that account.
 */
export function nginxConfig(opts: NginxSite & NginxProcess): string {
  return wholeNginxConfig(nginxSite(opts), opts);
}

/** `site` (http-level directives) inside a whole nginx.conf, as `nginxConfig` describes. */
export function wholeNginxConfig(site: string, { prefix, user }: NginxProcess): string {
  checkPath(prefix);
  if (user && !/^[a-z_][a-z0-9_-]*$/.test(user)) throw new Error('user unfit for nginx config');
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `    ${t}_temp_path ${prefix}/${t}_temp;`).join('\n');
  return `${user ? `user ${user};\n` : ''}worker_processes auto;
daemon off;
pid ${prefix}/nginx.pid;
error_log stderr warn;

events {
    worker_connections 1024;
}

http {
    access_log off;
${temp}

${site.replace(/^(?=.)/gm, '    ')}}
`;
}
