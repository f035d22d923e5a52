import { cidrContains, parseCidr } from '../dataplane/networkPolicy';
import { bytes, milliCpu, QuantityError } from '../quantity';
import type { FieldError, KubeObject } from './apiObjects';
import type { ResourceType } from './resources';

const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1035_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);

/**
 * The semantic rules the API server enforces after the schema: those that bite learners
 * (names, selectors matching template labels, containers, ports, requests within limits).
 * Messages are Kubernetes' own.
 */
export function validateSemantics(t: ResourceType, o: KubeObject): FieldError[] {
  const errors: FieldError[] = [];
  // A generated name is made before validation (BeforeCreate); its five-character suffix is always valid.
  const generated = typeof o.metadata.generateName === 'string' && o.metadata.generateName !== '' ? `${o.metadata.generateName}abcde` : undefined;
  const name = o.metadata.name === undefined || o.metadata.name === '' ? generated : o.metadata.name;
  if (name === undefined || name === '') {
    errors.push({ field: 'metadata.name', type: 'Required value', detail: 'name or generateName is required' });
  } else if (t.kind === 'Service') {
    if (!DNS1035.test(name) || name.length > 63) errors.push({ field: 'metadata.name', type: 'Invalid value', value: name, detail: DNS1035_MSG });
  } else if (t.kind === 'Namespace') {
    if (!LABEL.test(name) || name.length > 63) errors.push({ field: 'metadata.name', type: 'Invalid value', value: name, detail: LABEL_MSG });
  } else if (!SUBDOMAIN.test(name) || name.length > 253) {
    errors.push({ field: 'metadata.name', type: 'Invalid value', value: name, detail: SUBDOMAIN_MSG });
  }

  const spec = obj(o.spec);
  if (['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet'].includes(t.kind)) {
    if (typeof spec?.replicas === 'number' && spec.replicas < 0) {
      errors.push({ field: 'spec.replicas', type: 'Invalid value', value: spec.replicas, detail: 'must be greater than or equal to 0' });
    }
    const selector = obj(spec?.selector);
    const template = obj(spec?.template);
    const labels = (obj(obj(template?.metadata)?.labels) ?? {}) as Record<string, string>;
    if (selector === undefined) {
      errors.push({ field: 'spec.selector', type: 'Required value' });
      // A missing selector selects nothing, so the template's labels cannot match it either (apps/v1 reports both).
      if (template !== undefined) errors.push({ field: 'spec.template.metadata.labels', type: 'Invalid value', value: labels, detail: '`selector` does not match template `labels`' });
    } else {
      const match = (obj(selector.matchLabels) ?? {}) as Record<string, string>;
      const exprs = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
      if (Object.keys(match).length === 0 && exprs.length === 0) {
        errors.push({ field: 'spec.selector', type: 'Invalid value', value: selector, detail: 'empty selector is invalid for deployment' });
      } else if (!Object.entries(match).every(([k, v]) => labels[k] === v)) {
        errors.push({ field: 'spec.template.metadata.labels', type: 'Invalid value', value: labels, detail: '`selector` does not match template `labels`' });
      }
    }
    if (template === undefined) errors.push({ field: 'spec.template', type: 'Required value' });
    else {
      validatePodSpec(obj(template.spec), 'spec.template.spec', errors);
      restartPolicyIn(obj(template.spec), ['Always'], errors);
    }
  } else if (t.kind === 'Job') {
    const template = obj(spec?.template);
    if (template === undefined) errors.push({ field: 'spec.template', type: 'Required value' });
    else {
      validatePodSpec(obj(template.spec), 'spec.template.spec', errors);
      // A Job's pods must end: the default Always (from pod defaulting) is refused, as on a real cluster.
      restartPolicyIn(obj(template.spec), ['OnFailure', 'Never'], errors);
    }
  } else if (t.kind === 'Pod') {
    validatePodSpec(spec, 'spec', errors);
  } else if (t.kind === 'Service') {
    const ports = Array.isArray(spec?.ports) ? (spec.ports as Obj[]) : [];
    if (ports.length === 0 && spec?.clusterIP !== 'None') errors.push({ field: 'spec.ports', type: 'Required value' });
    ports.forEach((p, i) => {
      if (typeof p.port === 'number' && (p.port < 1 || p.port > 65535)) {
        errors.push({ field: `spec.ports[${i}].port`, type: 'Invalid value', value: p.port, detail: 'must be between 1 and 65535, inclusive' });
      }
      if (ports.length > 1 && (p.name === undefined || p.name === '')) errors.push({ field: `spec.ports[${i}].name`, type: 'Required value' });
      if (typeof p.name === 'string' && p.name !== '' && ports.slice(0, i).some((q) => q.name === p.name)) errors.push({ field: `spec.ports[${i}].name`, type: 'Duplicate value', value: p.name });
      // Two ports with one number and protocol: the key ValidateService checks, printed as Go prints the struct.
      const protocol = typeof p.protocol === 'string' ? p.protocol : 'TCP';
      if (ports.slice(0, i).some((q) => q.port === p.port && (typeof q.protocol === 'string' ? q.protocol : 'TCP') === protocol)) {
        errors.push({
          field: `spec.ports[${i}]`,
          type: 'Duplicate value',
          goValue: `core.ServicePort{Name:"", Protocol:"${protocol}", AppProtocol:(*string)(nil), Port:${String(p.port)}, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`,
        });
      }
    });
  } else if (t.kind === 'NetworkPolicy') {
    validateNetworkPolicySpec(spec, errors);
  }
  return errors;
}

function validatePodSpec(spec: Obj | undefined, path: string, errors: FieldError[]): void {
  const containers = Array.isArray(spec?.containers) ? (spec.containers as Obj[]) : [];
  if (containers.length === 0) {
    errors.push({ field: `${path}.containers`, type: 'Required value' });
    return;
  }
  const seen = new Set<string>();
  containers.forEach((c, i) => {
    const at = `${path}.containers[${i}]`;
    const name = typeof c.name === 'string' ? c.name : '';
    if (name !== '' && !LABEL.test(name)) errors.push({ field: `${at}.name`, type: 'Invalid value', value: name, detail: LABEL_MSG });
    if (seen.has(name)) errors.push({ field: `${at}.name`, type: 'Duplicate value', value: name });
    seen.add(name);
    if (typeof c.image !== 'string' || c.image.trim() === '') errors.push({ field: `${at}.image`, type: 'Required value' });
    const ports = Array.isArray(c.ports) ? (c.ports as Obj[]) : [];
    ports.forEach((p, j) => {
      if (typeof p.containerPort === 'number' && (p.containerPort < 1 || p.containerPort > 65535)) {
        errors.push({ field: `${at}.ports[${j}].containerPort`, type: 'Invalid value', value: p.containerPort, detail: 'must be between 1 and 65535, inclusive' });
      }
    });
    const requests = (obj(obj(c.resources)?.requests) ?? {}) as Record<string, string | number>;
    const limits = (obj(obj(c.resources)?.limits) ?? {}) as Record<string, string | number>;
    for (const [res, amount] of [
      ['cpu', milliCpu],
      ['memory', bytes],
    ] as const) {
      const req = requests[res];
      const lim = limits[res];
      try {
        if (req !== undefined && lim !== undefined && amount(req) > amount(lim)) {
          errors.push({ field: `${at}.resources.requests`, type: 'Invalid value', value: String(req), detail: `must be less than or equal to ${res} limit of ${String(lim)}` });
        }
      } catch (err) {
        if (!(err instanceof QuantityError)) throw err;
        errors.push({ field: `${at}.resources`, type: 'Invalid value', detail: err.message });
      }
    }
  });
}

/** Workload templates allow only some restart policies: Always for controllers that keep pods, OnFailure/Never for Jobs. */
function restartPolicyIn(podSpec: Obj | undefined, allowed: readonly string[], errors: FieldError[]): void {
  const policy = podSpec?.restartPolicy;
  if (typeof policy === 'string' && !allowed.includes(policy)) {
    errors.push({ field: 'spec.template.spec.restartPolicy', type: 'Unsupported value', value: policy, detail: `supported values: ${allowed.map((a) => `"${a}"`).join(', ')}` });
  }
}

// ---------------------------------------------------------------- NetworkPolicy (pkg/apis/networking/validation)

const PORT_RANGE_MSG = 'must be between 1 and 65535, inclusive';
const CIDR_MSG = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';
const objects = (v: unknown): Obj[] => (Array.isArray(v) ? v.map((x) => obj(x) ?? {}) : []);
const isSet = (v: unknown): boolean => v !== undefined && v !== null;

/** Each rule's ports then its peers, ingress rules before egress ones, then policyTypes (label selectors are not checked). */
function validateNetworkPolicySpec(spec: Obj | undefined, errors: FieldError[]): void {
  for (const [direction, peers] of [
    ['ingress', 'from'],
    ['egress', 'to'],
  ] as const) {
    objects(spec?.[direction]).forEach((rule, i) => {
      const at = `spec.${direction}[${i}]`;
      objects(rule.ports).forEach((p, j) => validatePolicyPort(p, `${at}.ports[${j}]`, errors));
      objects(rule[peers]).forEach((peer, j) => validatePolicyPeer(peer, `${at}.${peers}[${j}]`, errors));
    });
  }
  const types: unknown[] = Array.isArray(spec?.policyTypes) ? spec.policyTypes : [];
  if (types.length > 2) {
    errors.push({ field: 'spec.policyTypes', type: 'Invalid value', goValue: `[]networking.PolicyType{${types.map((v) => JSON.stringify(v)).join(', ')}}`, detail: 'may not specify more than two policyTypes' });
    return;
  }
  types.forEach((v, i) => {
    if (v !== 'Ingress' && v !== 'Egress') errors.push({ field: `spec.policyTypes[${i}]`, type: 'Unsupported value', value: v, detail: 'supported values: "Ingress", "Egress"' });
  });
}

/** A protocol Kubernetes knows; a port number in range or a valid port name; endPort only after a numeric port, not below it. */
function validatePolicyPort(p: Obj, at: string, errors: FieldError[]): void {
  if (typeof p.protocol === 'string' && !['TCP', 'UDP', 'SCTP'].includes(p.protocol)) {
    errors.push({ field: `${at}.protocol`, type: 'Unsupported value', value: p.protocol, detail: 'supported values: "TCP", "UDP", "SCTP"' });
  }
  const endPort = typeof p.endPort === 'number' ? p.endPort : undefined;
  const invalidEnd = (detail: string): void => void errors.push({ field: `${at}.endPort`, type: 'Invalid value', value: endPort, detail });
  if (typeof p.port === 'number') {
    if (p.port < 1 || p.port > 65535) errors.push({ field: `${at}.port`, type: 'Invalid value', value: p.port, detail: PORT_RANGE_MSG });
    if (endPort !== undefined && endPort < p.port) invalidEnd('must be greater than or equal to `port`');
    if (endPort !== undefined && (endPort < 1 || endPort > 65535)) invalidEnd(PORT_RANGE_MSG);
  } else if (typeof p.port === 'string') {
    if (endPort !== undefined) invalidEnd('may not be specified when `port` is non-numeric');
    for (const detail of portNameErrors(p.port)) errors.push({ field: `${at}.port`, type: 'Invalid value', value: p.port, detail });
  } else if (endPort !== undefined) {
    invalidEnd('may not be specified when `port` is not specified');
  }
}

/** IsValidPortName: what a container port name (IANA service name) may be. */
function portNameErrors(name: string): string[] {
  return [
    name.length > 15 ? 'must be no more than 15 characters' : '',
    /^[-a-z0-9]+$/.test(name) ? '' : 'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
    /[a-z]/.test(name) ? '' : 'must contain at least one letter (a-z)',
    name.includes('--') ? 'must not contain consecutive hyphens' : '',
    name.startsWith('-') || name.endsWith('-') ? 'must not begin or end with a hyphen' : '',
  ].filter((m) => m !== '');
}

/** One peer kind, or a podSelector with a namespaceSelector; never an ipBlock with another. */
function validatePolicyPeer(peer: Obj, at: string, errors: FieldError[]): void {
  const kinds = ['podSelector', 'namespaceSelector', 'ipBlock'].filter((k) => isSet(peer[k]));
  if (isSet(peer.ipBlock)) validateIpBlock(obj(peer.ipBlock) ?? {}, `${at}.ipBlock`, errors);
  if (kinds.length === 0) errors.push({ field: at, type: 'Required value', detail: 'must specify a peer' });
  else if (kinds.length > 1 && isSet(peer.ipBlock)) errors.push({ field: at, type: 'Forbidden', detail: 'may not specify both ipBlock and another peer' });
}

/** A CIDR, and excepts that are CIDRs strictly inside it. */
function validateIpBlock(block: Obj, at: string, errors: FieldError[]): void {
  const cidr = typeof block.cidr === 'string' ? block.cidr : '';
  if (cidr === '') return void errors.push({ field: `${at}.cidr`, type: 'Required value' });
  const network = parseCidr(cidr);
  if (network === undefined) return void errors.push({ field: `${at}.cidr`, type: 'Invalid value', value: cidr, detail: CIDR_MSG });
  (Array.isArray(block.except) ? block.except : []).forEach((value: unknown, i) => {
    const text = typeof value === 'string' ? value : '';
    const except = parseCidr(text);
    const field = `${at}.except[${i}]`;
    if (except === undefined) errors.push({ field, type: 'Invalid value', value: text, detail: CIDR_MSG });
    else if (!cidrContains(network, except.network) || network.bits >= except.bits) errors.push({ field, type: 'Invalid value', value: text, detail: 'must be a strict subset of `cidr`' });
  });
}
