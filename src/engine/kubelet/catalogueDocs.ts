import { catalogueRepositories, knownImage, parseImageRef } from './images';
import { TEACHING_IMAGES } from './teaching';

/**
 * What docs/images.md says of every image the simulated registry serves. Tags and ports come
 * from the catalogue itself; what each image does and needs is written here, next to it, so the
 * two stay in step (a test checks docs/images.md against this table).
 */
export interface ImageDoc {
  /** As a learner types it: `nginx`, `kubeplay/web`. */
  readonly image: string;
  readonly repository: string;
  readonly group: 'public' | 'teaching';
  /** "any", or the published tags. */
  readonly tags: string;
  /** "80", "8080", or "—" for none. */
  readonly ports: string;
  readonly does: string;
  readonly needs: string;
}

const PROSE: Readonly<Record<string, { readonly does: string; readonly needs: string }>> = {
  nginx: { does: 'Web server: serves its welcome page (or what a volume mounts on /usr/share/nginx/html); stops at once on SIGTERM.', needs: 'Nothing.' },
  httpd: { does: 'Apache web server.', needs: 'Nothing.' },
  busybox: { does: 'Shell and utilities (`sh -c`, `echo`, `sleep`, `cat`, `wget`, `nslookup`; no `curl`). Without a command it exits at once.', needs: 'A command, e.g. `sleep 3600`.' },
  alpine: { does: 'Like busybox (BusyBox userland, no `curl`).', needs: 'A command.' },
  ubuntu: { does: 'GNU userland, `bash`. Without a command it exits at once.', needs: 'A command.' },
  debian: { does: 'GNU userland, `bash`. Without a command it exits at once.', needs: 'A command.' },
  golang: { does: 'Go toolchain on Debian. Without a command it exits at once.', needs: 'A command.' },
  redis: { does: 'Key-value store.', needs: 'Nothing.' },
  postgres: { does: 'PostgreSQL; exits 1 with the image\'s own error when no password is given.', needs: 'Env `POSTGRES_PASSWORD` (or `POSTGRES_HOST_AUTH_METHOD=trust`).' },
  mysql: { does: 'MySQL; exits 1 when no root password option is given. Slow to start (about 8 s).', needs: 'Env `MYSQL_ROOT_PASSWORD` (or `MYSQL_ALLOW_EMPTY_PASSWORD` / `MYSQL_RANDOM_ROOT_PASSWORD`).' },
  mariadb: { does: 'MariaDB; exits 1 when no root password option is given.', needs: 'Env `MARIADB_ROOT_PASSWORD` (or `MYSQL_ROOT_PASSWORD`, `MARIADB_ALLOW_EMPTY_ROOT_PASSWORD`, `MARIADB_RANDOM_ROOT_PASSWORD`).' },
  mongo: { does: 'MongoDB.', needs: 'Nothing.' },
  memcached: { does: 'Memory cache; logs nothing.', needs: 'Nothing.' },
  rabbitmq: { does: 'Message broker (AMQP on 5672, Prometheus metrics on 15692). Slow to start (about 8 s), uses about 110 MiB.', needs: 'Nothing.' },
  python: { does: 'Python interpreter: exits at once without a script; a script keeps running.', needs: 'A command.' },
  node: { does: 'Node.js interpreter: exits at once without a script; a script keeps running.', needs: 'A command.' },
  'curlimages/curl': { does: 'curl (and BusyBox `wget`, `nslookup`): `-- -s http://web` or `-- curl http://web` makes one request and exits with curl\'s code; with no URL it exits 2.', needs: 'A URL as args.' },
  'nginxinc/nginx-unprivileged': { does: 'nginx as a non-root user, listening on 8080.', needs: 'Nothing.' },
  'registry.k8s.io/pause': { does: 'The sandbox container: does nothing, forever.', needs: 'Nothing.' },
  'kubeplay/web': {
    does: 'Web front end. Logs `connecting to database <host>:<port> as <user>` and `listening on :8080 (version vN)`; answers `/` and `/healthz`, each request going to its database. Without its settings it logs what is missing and exits 1 (CrashLoopBackOff). v2 starts slower; v3 starts but answers 500 (readiness fails).',
    needs: 'Env `DB_HOST`, `DB_PASSWORD` (required), `DB_PORT` (5432), `DB_USER` (kubeplay), or the same as `KEY=value` lines in a file mounted at `/etc/web/web.conf`; env wins.',
  },
  'kubeplay/api': { does: 'API back end on 8080 (`/`, `/healthz`); uses a database when `DB_HOST` is set, else serves alone.', needs: 'Optional env `DB_HOST`, `DB_PORT` (5432).' },
  'kubeplay/db': {
    does: 'Database on 5432. Keeps its data in `/var/lib/kubeplay/db`; on first start there writes who created it and when, and later starts log `found existing database created by <pod> at <time>`. `kubeplay-db init` (args `init`, e.g. in an init container) only initialises and exits 0.',
    needs: 'Env `DB_PASSWORD` (from a Secret); a volume (a PersistentVolumeClaim) at `/var/lib/kubeplay/db`; an empty volume needs `DB_INIT=true` or the init container, else it refuses to start.',
  },
  'kubeplay/content-sync': { does: 'Sidecar: rewrites `index.html` every `SYNC_INTERVAL` seconds (the page shows the time of the sync), logging each sync.', needs: 'A volume shared with the web server (an emptyDir at `/usr/share/nginx/html`); optional env `CONTENT_DIR`, `SYNC_INTERVAL` (10).' },
  'kubeplay/loadgen': { does: 'Sends requests to a Service and logs what they get; serves nothing.', needs: 'Env `TARGET` (a URL: `http://web:8080/`, `http://web`); optional `RATE` in requests per second (10).' },
  'kubeplay/crash': { does: 'Logs a panic and exits 1 about 3 s after starting: CrashLoopBackOff.', needs: 'Nothing.' },
  'kubeplay/slow-start': { does: 'Listens on 8080 only 45 s after starting: a liveness probe without a startupProbe kills it first.', needs: 'Nothing.' },
  'kubeplay/leak': { does: 'Serves on 8080 and leaks memory from about 20 MiB until the memory limit OOMKills it (`kubectl top` shows it grow).', needs: 'A memory limit (`resources.limits.memory`); optional env `LEAK_MB_PER_SEC` (5).' },
  'kubeplay/escape': {
    does: 'A simulated container breakout for the security lessons (src/engine/kubelet/security.ts): tries the node\'s disk (privileged), the cgroup release_agent (CAP_SYS_ADMIN), the node\'s PID 1 (hostPID), a writable hostPath of /; through the first open route it leaves /tmp/kubeplay-escaped on the node, and logs each attempt.',
    needs: 'Nothing; how far it gets depends on the securityContext and the RuntimeClass (gVisor and Kata block the kernel routes).',
  },
  'kubeplay/toolbox': { does: 'BusyBox utilities plus curl; stays up (`sleep infinity`) for `kubectl exec`, or runs the check given as its command.', needs: 'Nothing.' },
};

/** `nginx` for docker.io/library/nginx, `kubeplay/web` for docker.io/kubeplay/web, other registries in full. */
function shortName(repository: string): string {
  if (repository.startsWith('docker.io/library/')) return repository.slice('docker.io/library/'.length);
  return repository.startsWith('docker.io/') ? repository.slice('docker.io/'.length) : repository;
}

function docOf(repository: string): ImageDoc {
  const image = shortName(repository);
  const teaching = image.startsWith('kubeplay/') ? TEACHING_IMAGES[image.slice('kubeplay/'.length)] : undefined;
  const ports = knownImage(parseImageRef(teaching === undefined ? image : `${image}:${teaching.latest}`))?.ports ?? [];
  const prose = PROSE[image] ?? { does: '', needs: '' };
  return {
    image,
    repository,
    group: image.startsWith('kubeplay/') ? 'teaching' : 'public',
    tags: teaching === undefined ? 'any' : `${teaching.tags.join(', ')} (latest = ${teaching.latest})`,
    ports: ports.length === 0 ? '—' : ports.join(', '),
    ...prose,
  };
}

export const CATALOGUE_DOCS: readonly ImageDoc[] = catalogueRepositories().map(docOf);
