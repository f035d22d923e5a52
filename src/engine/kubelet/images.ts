import { teachingImage, teachingRepositories } from './teaching';

/**
 * The simulated registry: the public images learners type, recognised by repository with any
 * tag, and what each does when run without a command of its own; and Kubeplay's own teaching
 * images (docker.io/kubeplay/*, src/engine/kubelet/teaching.ts), which exist only with the tags
 * they were published with. Anything else fails to pull, as on a real cluster.
 */

export interface ImageRef {
  /** As written in the pod spec. */
  readonly text: string;
  /** docker.io/library/nginx */
  readonly repository: string;
  /** "latest" when none is given; absent with a digest. */
  readonly tag?: string;
  readonly digest?: string;
  /** docker.io/library/nginx:1.27, as containerd names what it pulled. */
  readonly canonical: string;
}

export interface ImageInfo {
  /** Compressed size, which sets the pull time. */
  readonly sizeBytes: number;
  /** ENTRYPOINT and CMD of the image config. */
  readonly entrypoint: readonly string[];
  readonly cmd: readonly string[];
  /** Ports the main process listens on once started. */
  readonly ports: readonly number[];
  /** Typical resource use of the idle main process. */
  readonly cpuMilli: number;
  readonly memoryMiB: number;
}

const MiB = 1024 * 1024;

/** Known repositories (docker.io/library unless a registry is named). */
const CATALOGUE: Readonly<Record<string, ImageInfo>> = {
  'docker.io/library/nginx': { sizeBytes: 72 * MiB, entrypoint: ['/docker-entrypoint.sh'], cmd: ['nginx', '-g', 'daemon off;'], ports: [80], cpuMilli: 1, memoryMiB: 4 },
  'docker.io/library/httpd': { sizeBytes: 58 * MiB, entrypoint: [], cmd: ['httpd-foreground'], ports: [80], cpuMilli: 1, memoryMiB: 6 },
  'docker.io/library/busybox': { sizeBytes: 2 * MiB, entrypoint: [], cmd: ['sh'], ports: [], cpuMilli: 0, memoryMiB: 1 },
  'docker.io/library/alpine': { sizeBytes: 4 * MiB, entrypoint: [], cmd: ['/bin/sh'], ports: [], cpuMilli: 0, memoryMiB: 1 },
  'docker.io/library/ubuntu': { sizeBytes: 29 * MiB, entrypoint: [], cmd: ['/bin/bash'], ports: [], cpuMilli: 0, memoryMiB: 2 },
  'docker.io/library/debian': { sizeBytes: 49 * MiB, entrypoint: [], cmd: ['bash'], ports: [], cpuMilli: 0, memoryMiB: 2 },
  'docker.io/library/redis': { sizeBytes: 45 * MiB, entrypoint: ['docker-entrypoint.sh'], cmd: ['redis-server'], ports: [6379], cpuMilli: 2, memoryMiB: 8 },
  'docker.io/library/postgres': { sizeBytes: 150 * MiB, entrypoint: ['docker-entrypoint.sh'], cmd: ['postgres'], ports: [5432], cpuMilli: 3, memoryMiB: 40 },
  'docker.io/library/mysql': { sizeBytes: 170 * MiB, entrypoint: ['docker-entrypoint.sh'], cmd: ['mysqld'], ports: [3306], cpuMilli: 5, memoryMiB: 360 },
  'docker.io/library/mongo': { sizeBytes: 260 * MiB, entrypoint: ['docker-entrypoint.sh'], cmd: ['mongod'], ports: [27017], cpuMilli: 5, memoryMiB: 90 },
  'docker.io/library/memcached': { sizeBytes: 30 * MiB, entrypoint: ['docker-entrypoint.sh'], cmd: ['memcached'], ports: [11211], cpuMilli: 1, memoryMiB: 3 },
  'docker.io/library/python': { sizeBytes: 380 * MiB, entrypoint: [], cmd: ['python3'], ports: [], cpuMilli: 0, memoryMiB: 8 },
  'docker.io/library/node': { sizeBytes: 400 * MiB, entrypoint: ['docker-entrypoint.sh'], cmd: ['node'], ports: [], cpuMilli: 0, memoryMiB: 10 },
  'docker.io/library/golang': { sizeBytes: 290 * MiB, entrypoint: [], cmd: ['bash'], ports: [], cpuMilli: 0, memoryMiB: 2 },
  'docker.io/library/mariadb': { sizeBytes: 110 * MiB, entrypoint: ['docker-entrypoint.sh'], cmd: ['mariadbd'], ports: [3306], cpuMilli: 3, memoryMiB: 85 },
  // Epmd, AMQP, the Prometheus plugin (enabled in the image) and inter-node traffic.
  'docker.io/library/rabbitmq': { sizeBytes: 95 * MiB, entrypoint: ['docker-entrypoint.sh'], cmd: ['rabbitmq-server'], ports: [4369, 5672, 15692, 25672], cpuMilli: 8, memoryMiB: 110 },
  'docker.io/curlimages/curl': { sizeBytes: 10 * MiB, entrypoint: ['/entrypoint.sh'], cmd: ['curl'], ports: [], cpuMilli: 0, memoryMiB: 1 },
  'docker.io/nginxinc/nginx-unprivileged': { sizeBytes: 72 * MiB, entrypoint: ['/docker-entrypoint.sh'], cmd: ['nginx', '-g', 'daemon off;'], ports: [8080], cpuMilli: 1, memoryMiB: 4 },
  // The container-escape exploit of the security lessons (src/engine/kubelet/security.ts).
  'docker.io/kubeplay/escape': { sizeBytes: 9 * MiB, entrypoint: ['/usr/local/bin/escape'], cmd: [], ports: [], cpuMilli: 1, memoryMiB: 3 },
  'registry.k8s.io/pause': { sizeBytes: 300 * 1024, entrypoint: ['/pause'], cmd: [], ports: [], cpuMilli: 0, memoryMiB: 1 },
};

/** Every repository the registry serves: the public ones (any tag) and the teaching images. */
export function catalogueRepositories(): string[] {
  return [...Object.keys(CATALOGUE), ...teachingRepositories()];
}

/** What the registry has under this reference: any tag of a public image, a teaching image's published tags only. */
export function knownImage(ref: ImageRef): ImageInfo | undefined {
  return CATALOGUE[ref.repository] ?? teachingImage(ref);
}

/**
 * Parses an image reference the way containerd normalises it: no registry means Docker Hub,
 * a single path element means library/, no tag means latest.
 */
export function parseImageRef(text: string): ImageRef {
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const parts = rest.split('/');
  const first = parts[0] ?? '';
  const hasRegistry = parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  let repository = hasRegistry ? rest : `docker.io/${rest}`;
  if (!hasRegistry && parts.length === 1) repository = `docker.io/library/${rest}`;
  if (digest === undefined && tag === undefined) tag = 'latest';
  const canonical = `${repository}${tag === undefined ? '' : `:${tag}`}${digest === undefined ? '' : `@${digest}`}`;
  return { text, repository, ...(tag === undefined ? {} : { tag }), ...(digest === undefined ? {} : { digest }), canonical };
}

/** Why a pull fails, in containerd's words as the kubelet passes them on. */
export function pullError(ref: ImageRef): string | undefined {
  if (knownImage(ref) !== undefined) return undefined;
  // The repository exists but not this tag: the registry answers 404 for the manifest.
  if (teachingImage(ref, { anyTag: true }) !== undefined) return `failed to pull and unpack image "${ref.canonical}": failed to resolve reference "${ref.canonical}": ${ref.canonical}: not found`;
  return `failed to pull and unpack image "${ref.canonical}": failed to resolve reference "${ref.canonical}": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`;
}

/** A stable, made-up digest per repository and tag, so imageID looks like a real one. */
export function imageDigest(ref: ImageRef): string {
  let h1 = 0x811c9dc5;
  let out = '';
  const text = `${ref.repository}:${ref.tag ?? ''}`;
  for (let round = 0; round < 8; round++) {
    for (let i = 0; i < text.length; i++) h1 = Math.imul(h1 ^ text.charCodeAt(i), 0x01000193) >>> 0;
    h1 = Math.imul(h1 ^ round, 0x01000193) >>> 0;
    out += h1.toString(16).padStart(8, '0');
  }
  return `sha256:${out}`;
}
