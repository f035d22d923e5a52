import { describe, expect, it } from 'vitest';
import { alreadyExists } from '../engine/apiserver/apiObjects';
import type { KubeObject } from '../engine/apiserver/apiObjects';
import { resourceForKind } from '../engine/apiserver/resources';
import type { ResourceType } from '../engine/apiserver/resources';
import {
  containerNameForImage,
  createConfigMap,
  createDeployment,
  createdMessage,
  createFailedMessage,
  createNamespace,
  createSecretGeneric,
  createService,
  type GeneratorResult,
  run,
} from './generators';
import { printObjects } from './printers';

const objectOf = (r: GeneratorResult): KubeObject => {
  if ('error' in r) throw new Error(`expected an object, got ${r.error}`);
  return r.object;
};

const typeOf = (o: KubeObject): ResourceType => {
  const t = resourceForKind(o.apiVersion, o.kind);
  if ('error' in t) throw new Error(t.error);
  return t;
};

/** What `... --dry-run=client -o yaml` prints for a generated object. */
const yaml = (r: GeneratorResult): string => {
  const o = objectOf(r);
  return printObjects(typeOf(o), [o], false, { output: 'yaml', allNamespaces: false, now: 0 });
};

const lines = (...l: string[]): string => `${l.join('\n')}\n`;

describe('kubectl create deployment', () => {
  it('builds what --dry-run=client -o yaml prints: app labels, 1 container named after the image, empty strategy/resources/status', () => {
    const r = createDeployment(['web'], { image: ['nginx:1.27'], replicas: '3', port: '80' });
    expect(yaml(r)).toBe(
      lines(
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata:',
        '  creationTimestamp: null',
        '  labels:',
        '    app: web',
        '  name: web',
        'spec:',
        '  replicas: 3',
        '  selector:',
        '    matchLabels:',
        '      app: web',
        '  strategy: {}',
        '  template:',
        '    metadata:',
        '      creationTimestamp: null',
        '      labels:',
        '        app: web',
        '    spec:',
        '      containers:',
        '      - image: nginx:1.27',
        '        name: nginx',
        '        ports:',
        '        - containerPort: 80',
        '        resources: {}',
        'status: {}',
      ),
    );
  });

  it('defaults to 1 replica, no ports and no namespace; -n puts the namespace on the Deployment only', () => {
    const o = objectOf(createDeployment(['api'], { image: ['redis'], namespace: 'shop' }));
    expect(o.metadata).toEqual({ name: 'api', namespace: 'shop', labels: { app: 'api' }, creationTimestamp: null });
    const spec = o.spec as { replicas: number; template: { metadata: object; spec: { containers: object[] } } };
    expect(spec.replicas).toBe(1);
    expect(spec.template.metadata).toEqual({ labels: { app: 'api' }, creationTimestamp: null });
    expect(spec.template.spec.containers).toEqual([{ name: 'redis', image: 'redis', resources: {} }]);
  });

  it('reads --replicas as Go does (base prefixes), and gives every image its own container, the port only to the first', () => {
    const o = objectOf(createDeployment(['pair'], { image: ['nginx,redis:7'], replicas: '0x10', port: '8080' }));
    const spec = o.spec as { replicas: number; template: { spec: { containers: object[] } } };
    expect(spec.replicas).toBe(16);
    expect(spec.template.spec.containers).toEqual([
      { name: 'nginx', image: 'nginx', ports: [{ containerPort: 8080 }], resources: {} },
      { name: 'redis', image: 'redis:7', resources: {} },
    ]);
  });

  it('puts the words after -- into the command', () => {
    const o = objectOf(createDeployment(['sleeper'], { image: ['busybox'], rest: ['sleep', '3600'] }));
    const c = (o.spec as { template: { spec: { containers: { command?: string[] }[] } } }).template.spec.containers[0];
    expect(c?.command).toEqual(['sleep', '3600']);
  });

  it('fails like kubectl: missing --image, NAME count, bad --replicas/--port, several images with a command', () => {
    expect(createDeployment(['web'], { image: [] })).toEqual({ error: 'error: required flag(s) "image" not set' });
    expect(createDeployment([], { image: [] })).toEqual({ error: 'error: required flag(s) "image" not set' });
    expect(createDeployment([], { image: ['nginx'] })).toEqual({
      error: "error: exactly one NAME is required, got 0\nSee 'kubectl create deployment -h' for help and examples",
    });
    expect(createDeployment(['a', 'b'], { image: ['nginx'] })).toEqual({
      error: "error: exactly one NAME is required, got 2\nSee 'kubectl create deployment -h' for help and examples",
    });
    expect(createDeployment(['web'], { image: ['nginx'], replicas: 'three' })).toEqual({
      error: 'error: invalid argument "three" for "-r, --replicas" flag: strconv.ParseInt: parsing "three": invalid syntax\nSee \'kubectl create deployment --help\' for usage.',
    });
    expect(createDeployment(['web'], { image: ['nginx'], port: '3000000000' })).toEqual({
      error: 'error: invalid argument "3000000000" for "--port" flag: strconv.ParseInt: parsing "3000000000": value out of range\nSee \'kubectl create deployment --help\' for usage.',
    });
    expect(createDeployment(['web'], { image: ['nginx', 'redis'], rest: ['sleep', '1'] })).toEqual({
      error: 'error: cannot specify multiple --image options and command',
    });
  });
});

describe('container names derived from images', () => {
  it('takes the last path segment without tag or digest', () => {
    const never = (): number => {
      throw new Error('no random suffix expected');
    };
    expect(containerNameForImage('registry.k8s.io/pause:3.10', never)).toBe('pause');
    expect(containerNameForImage('localhost:5000/team/api', never)).toBe('api');
    expect(containerNameForImage(`nginx@sha256:${'a'.repeat(64)}`, never)).toBe('nginx');
  });

  it('turns "." and "_" into "-" and adds a random 5-character suffix from utilrand\'s alphabet', () => {
    const draws = [0, 1, 2, 26, 3];
    expect(containerNameForImage('quay.io/org/my_app.v2:1.0', () => draws.shift() ?? 0)).toBe('my-app-v2-bcd9f');
  });
});

describe('kubectl create namespace', () => {
  it('prints an empty spec and status and never a namespace', () => {
    expect(yaml(createNamespace(['dev']))).toBe(lines('apiVersion: v1', 'kind: Namespace', 'metadata:', '  creationTimestamp: null', '  name: dev', 'spec: {}', 'status: {}'));
  });

  it('needs exactly one non-empty NAME', () => {
    expect(createNamespace([])).toEqual({ error: "error: exactly one NAME is required, got 0\nSee 'kubectl create namespace -h' for help and examples" });
    expect(createNamespace([''])).toEqual({ error: 'error: name must be specified' });
  });
});

describe('kubectl create configmap', () => {
  it('splits each literal at its first "=" and keeps empty values', () => {
    const r = createConfigMap(['cfg'], { fromLiteral: ['mode=prod', 'greeting=a=b', 'empty='], namespace: 'shop' });
    expect(yaml(r)).toBe(
      lines('apiVersion: v1', 'data:', '  empty: ""', '  greeting: a=b', '  mode: prod', 'kind: ConfigMap', 'metadata:', '  creationTimestamp: null', '  name: cfg', '  namespace: shop'),
    );
  });

  it('has no data field at all without literals', () => {
    expect(objectOf(createConfigMap(['cfg'], { fromLiteral: [] }))).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', creationTimestamp: null } });
  });

  it('rejects literals without a key, bad keys and duplicate keys with kubectl\'s words', () => {
    expect(createConfigMap(['cfg'], { fromLiteral: ['novalue'] })).toEqual({ error: 'error: invalid literal source novalue, expected key=value' });
    expect(createConfigMap(['cfg'], { fromLiteral: ['=v'] })).toEqual({ error: 'error: invalid literal source =v, expected key=value' });
    expect(createConfigMap(['cfg'], { fromLiteral: ['my key=v'] })).toEqual({
      error:
        "error: \"my key\" is not a valid key name for a ConfigMap: a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
    });
    expect(createConfigMap(['cfg'], { fromLiteral: ['..x=1'] })).toEqual({ error: `error: "..x" is not a valid key name for a ConfigMap: must not start with '..'` });
    expect(createConfigMap(['cfg'], { fromLiteral: ['a=1', 'a=2'] })).toEqual({
      error: 'error: cannot add key "a", another key by that name already exists in Data for ConfigMap "cfg"',
    });
    expect(createConfigMap(['a', 'b'], { fromLiteral: [] })).toEqual({
      error: "error: exactly one NAME is required, got 2\nSee 'kubectl create configmap -h' for help and examples",
    });
  });
});

describe('kubectl create secret generic', () => {
  it('base64-encodes the UTF-8 bytes of each value and leaves type to the server', () => {
    const r = createSecretGeneric(['db'], { fromLiteral: ['user=admin', 'password=pa55 wörd'] });
    expect(yaml(r)).toBe(
      lines('apiVersion: v1', 'data:', '  password: cGE1NSB3w7ZyZA==', '  user: YWRtaW4=', 'kind: Secret', 'metadata:', '  creationTimestamp: null', '  name: db'),
    );
  });

  it('sets --type when given', () => {
    expect(objectOf(createSecretGeneric(['tls'], { fromLiteral: [], type: 'kubernetes.io/tls', namespace: 'web' }))).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'tls', namespace: 'web', creationTimestamp: null },
      type: 'kubernetes.io/tls',
    });
  });

  it('words key errors its own way (not ConfigMap\'s)', () => {
    expect(createSecretGeneric(['s'], { fromLiteral: ['a b=1'] })).toEqual({
      error:
        "error: \"a b\" is not valid key name for a Secret a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
    });
    expect(createSecretGeneric(['s'], { fromLiteral: ['k=1', 'k=2'] })).toEqual({ error: 'error: cannot add key k, another key by that name already exists' });
    expect(createSecretGeneric(['s'], { fromLiteral: ['k'] })).toEqual({ error: 'error: invalid literal source k, expected key=value' });
    expect(createSecretGeneric([], { fromLiteral: [] })).toEqual({
      error: "error: exactly one NAME is required, got 0\nSee 'kubectl create secret generic -h' for help and examples",
    });
  });
});

describe('kubectl create service', () => {
  it('clusterip: app selector, ports named "80-8080", TCP, and an empty load balancer status', () => {
    expect(yaml(createService('clusterip', ['web'], { tcp: ['80:8080'] }))).toBe(
      lines(
        'apiVersion: v1',
        'kind: Service',
        'metadata:',
        '  creationTimestamp: null',
        '  labels:',
        '    app: web',
        '  name: web',
        'spec:',
        '  ports:',
        '  - name: 80-8080',
        '    port: 80',
        '    protocol: TCP',
        '    targetPort: 8080',
        '  selector:',
        '    app: web',
        '  type: ClusterIP',
        'status:',
        '  loadBalancer: {}',
      ),
    );
  });

  it('nodeport: --node-port on every port; a bare port targets itself; a named target port stays a string', () => {
    const o = objectOf(createService('nodeport', ['web'], { tcp: ['80,443:https'], nodePort: '30080' }));
    expect(o.spec).toEqual({
      ports: [
        { name: '80', port: 80, protocol: 'TCP', targetPort: 80, nodePort: 30080 },
        { name: '443-https', port: 443, protocol: 'TCP', targetPort: 'https', nodePort: 30080 },
      ],
      selector: { app: 'web' },
      type: 'NodePort',
    });
  });

  it('--clusterip=None makes a headless service that needs no port', () => {
    expect(objectOf(createService('clusterip', ['db'], { tcp: [], clusterIp: 'None' })).spec).toEqual({ selector: { app: 'db' }, type: 'ClusterIP', clusterIP: 'None' });
  });

  it('fails like kubectl on missing or bad ports and NAME count', () => {
    expect(createService('clusterip', ['web'], { tcp: [] })).toEqual({ error: 'error: at least one tcp port specifier must be provided' });
    expect(createService('clusterip', ['web'], { tcp: ['http:80'] })).toEqual({ error: 'error: strconv.ParseUint: parsing "http": invalid syntax' });
    expect(createService('clusterip', ['web'], { tcp: ['70000:80'] })).toEqual({ error: 'error: strconv.ParseUint: parsing "70000": value out of range' });
    expect(createService('clusterip', ['web'], { tcp: ['80:0'] })).toEqual({ error: 'error: must be between 1 and 65535, inclusive' });
    expect(createService('clusterip', ['web'], { tcp: ['80:Web'] })).toEqual({ error: 'error: must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)' });
    expect(createService('nodeport', ['web'], { tcp: ['80'], nodePort: 'high' })).toEqual({
      error: 'error: invalid argument "high" for "--node-port" flag: strconv.ParseInt: parsing "high": invalid syntax\nSee \'kubectl create service nodeport --help\' for usage.',
    });
    expect(createService('nodeport', [], { tcp: ['80'] })).toEqual({
      error: "error: exactly one NAME is required, got 0\nSee 'kubectl create service nodeport -h' for help and examples",
    });
  });
});

describe('kubectl run', () => {
  const base = { env: [], command: false, rest: [] };

  it('builds the Pod --dry-run=client -o yaml prints: run=NAME, container named NAME, ClusterFirst, Always', () => {
    expect(yaml(run(['nginx'], { ...base, image: 'nginx' }))).toBe(
      lines(
        'apiVersion: v1',
        'kind: Pod',
        'metadata:',
        '  creationTimestamp: null',
        '  labels:',
        '    run: nginx',
        '  name: nginx',
        'spec:',
        '  containers:',
        '  - image: nginx',
        '    name: nginx',
        '    resources: {}',
        '  dnsPolicy: ClusterFirst',
        '  restartPolicy: Always',
        'status: {}',
      ),
    );
  });

  it('--command -- sh -c "..." fills command; --env, --port and --restart land where kubectl puts them', () => {
    const o = objectOf(
      run(['debug'], { image: 'busybox:1.36', env: ['MODE=test', 'EMPTY='], port: '8080', restart: 'Never', command: true, rest: ['sh', '-c', 'sleep 3600'], namespace: 'ops' }),
    );
    expect(o.metadata).toEqual({ name: 'debug', namespace: 'ops', labels: { run: 'debug' }, creationTimestamp: null });
    expect(o.spec).toEqual({
      containers: [
        {
          name: 'debug',
          image: 'busybox:1.36',
          command: ['sh', '-c', 'sleep 3600'],
          env: [{ name: 'MODE', value: 'test' }, { name: 'EMPTY' }],
          ports: [{ containerPort: 8080 }],
          resources: {},
        },
      ],
      dnsPolicy: 'ClusterFirst',
      restartPolicy: 'Never',
    });
  });

  it('without --command the extra words are args; --labels replaces run=NAME', () => {
    const o = objectOf(run(['web', 'extra'], { ...base, image: 'nginx', labels: 'app=web,tier=front', rest: ['--flag'] }));
    expect(o.metadata.labels).toEqual({ app: 'web', tier: 'front' });
    const c = (o.spec as { containers: { args?: string[]; command?: string[] }[] }).containers[0];
    expect(c?.args).toEqual(['extra', '--flag']);
    expect(c?.command).toBeUndefined();
  });

  it('accepts registry hosts, ports, tags and digests in --image', () => {
    for (const image of ['registry.k8s.io/pause:3.10', 'localhost:5000/team/app', `nginx@sha256:${'0f'.repeat(32)}`, 'Docker.io/library/nginx']) {
      expect(run(['x'], { ...base, image })).toHaveProperty('object');
    }
  });

  it('fails like kubectl', () => {
    expect(run(['x'], base)).toEqual({ error: 'error: required flag(s) "image" not set' });
    expect(run([], { ...base, image: 'nginx' })).toEqual({ error: "error: NAME is required for run\nSee 'kubectl run -h' for help and examples" });
    expect(run([], { ...base, image: 'nginx', rest: ['sh'] })).toEqual({ error: "error: NAME is required for run\nSee 'kubectl run -h' for help and examples" });
    expect(run(['x'], { ...base, image: '' })).toEqual({ error: 'error: --image is required' });
    expect(run(['x'], { ...base, image: 'Nginx' })).toEqual({ error: 'error: Invalid image name "Nginx": invalid reference format' });
    expect(run(['x'], { ...base, image: 'nginx:' })).toEqual({ error: 'error: Invalid image name "nginx:": invalid reference format' });
    expect(run(['x'], { ...base, image: 'nginx', restart: 'Sometimes' })).toEqual({
      error: "error: invalid restart policy: Sometimes\nSee 'kubectl run -h' for help and examples",
    });
    expect(run(['x'], { ...base, image: 'nginx', env: ['NOVALUE'] })).toEqual({ error: 'error: invalid env: NOVALUE' });
    expect(run(['x'], { ...base, image: 'nginx', env: ['1BAD=x'] })).toEqual({ error: 'error: invalid env: 1BAD=x' });
    expect(run(['x'], { ...base, image: 'nginx', labels: 'app' })).toEqual({ error: 'error: unexpected label spec: app' });
    expect(run(['x'], { ...base, image: 'nginx', labels: '=web' })).toEqual({ error: 'error: unexpected empty label key' });
    expect(run(['x'], { ...base, image: 'nginx', port: 'http' })).toEqual({ error: 'error: strconv.Atoi: parsing "http": invalid syntax' });
  });
});

describe('messages', () => {
  const deploy = objectOf(createDeployment(['web'], { image: ['nginx'] }));

  it('names the created object as kubectl does, with the dry-run variants', () => {
    expect(createdMessage(deploy)).toBe('deployment.apps/web created\n');
    expect(createdMessage(objectOf(createConfigMap(['cfg'], { fromLiteral: [] })), 'client')).toBe('configmap/cfg created (dry run)\n');
    expect(createdMessage(objectOf(createService('clusterip', ['web'], { tcp: ['80'] })))).toBe('service/web created\n');
    expect(createdMessage(objectOf(run(['debug'], { image: 'busybox', env: [], command: false, rest: [] })), 'server')).toBe('pod/debug created (server dry run)\n');
  });

  it('wraps server errors the way each command does', () => {
    const deployments = typeOf(deploy);
    expect(createFailedMessage(deploy, alreadyExists(deployments, 'web'))).toBe('error: failed to create deployment: deployments.apps "web" already exists\n');
    const svc = objectOf(createService('nodeport', ['web'], { tcp: ['80'] }));
    expect(createFailedMessage(svc, alreadyExists(typeOf(svc), 'web'))).toBe('error: failed to create NodePort service: services "web" already exists\n');
    const ns = objectOf(createNamespace(['dev']));
    expect(createFailedMessage(ns, alreadyExists(typeOf(ns), 'dev'))).toBe('Error from server (AlreadyExists): namespaces "dev" already exists\n');
  });
});
