import type { Rng } from '../rng';
import { validateAgainstKind } from '../schema/kubernetesSchemas';
import { formatPath } from '../schema/jsonSchema';
import { EtcdClient, type ClientOutcome } from '../store/etcdClient';
import type { KeyValue, TxnRequest } from '../store/kvStore';
import { rfc3339 } from '../virtualTime';
import type { World } from '../world';
import {
  alreadyExists,
  type ApiResult,
  badRequest,
  conflict,
  type FieldError,
  invalid,
  type KubeObject,
  notFound,
  type Status,
  storageError,
} from './apiObjects';
import { applyDefaults } from './defaults';
import { API_PORT, ApiMsg, type ApiRequest, type ApiResponse, type ReadyzRequest, type ReadyzResponse } from './apiProtocol';
import type { Message } from '../network';
import { apiVersionOf, etcdKey, resolveResource, resourceForKind, type ResourceType } from './resources';
import { matchesSelector, parseLabelSelector } from './labelSelector';
import { validateSemantics } from './validation';

/** The port kube-apiserver's process listens on for its local etcd's answers. */
const ETCD_CLIENT_PORT = 'kube-apiserver';

export interface ListObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly resourceVersion: string };
  readonly items: KubeObject[];
}

type Done<T> = (r: ApiResult<T>) => void;

/**
 * One kube-apiserver, on a master, over that master's etcd member (reached on loopback, as
 * kubeadm sets it up: --etcd-servers=https://127.0.0.1:2379). Every write is an etcd
 * transaction through Raft; resourceVersion is the etcd modification revision, and a stale one
 * is a 409 Conflict. Requests are answered through callbacks, in virtual time.
 */
export class ApiServer {
  private readonly etcd: EtcdClient;

  constructor(
    private readonly world: World,
    readonly host: string,
    private readonly uids: Rng,
  ) {
    this.etcd = new EtcdClient(world, host, 8_000, undefined, ETCD_CLIENT_PORT);
  }

  /** Starts serving the API on the master's port 6443 (kubectl, kubelets and controllers call here). */
  listen(): void {
    this.world.net.setHandler(this.host, (m) => this.serve(m), API_PORT);
  }

  /** Stops serving: the master died. Requests in progress are never answered. */
  stop(): void {
    this.world.net.setHandler(this.host, undefined, API_PORT);
    this.etcd.reset();
  }

  private serve(m: Message): void {
    if (m.copy > 0) return; // HTTP runs over TCP: network-made copies never reach the server.
    if (m.type === ApiMsg.Readyz) {
      const req = m.payload as ReadyzRequest;
      // The etcd check of /readyz: a quorum read of a health key, with a short deadline.
      this.etcd.range(this.host, 'health', { deadlineMs: 1_000 }, (o) => {
        const resp: ReadyzResponse = { reqId: req.reqId, ready: o.ok, detail: o.ok ? '' : `[-]etcd failed: ${etcdMessage(o)}` };
        this.world.net.send(this.host, m.from, ApiMsg.ReadyzResponse, resp, req.replyPort);
      });
      return;
    }
    if (m.type !== ApiMsg.Request) return;
    const req = m.payload as ApiRequest;
    const answer = (result: ApiResult<unknown>): void => {
      const resp: ApiResponse = { reqId: req.reqId, server: this.host, result };
      this.world.net.send(this.host, m.from, ApiMsg.Response, resp, req.replyPort);
    };
    const opts = { ...(req.namespace === undefined ? {} : { namespace: req.namespace }), ...(req.dryRun ? { dryRun: true } : {}) };
    if (req.verb === 'create') return this.create(req.body, opts, answer);
    if (req.verb === 'update') return this.update(req.body, opts, answer);
    const type = resolveResource(req.resource ?? '');
    if ('error' in type) return answer({ ok: false, status: notFoundResource(type.error) });
    if (req.verb === 'list') return this.list(type, type.namespaced ? req.namespace : undefined, answer, req.labelSelector);
    if (req.verb === 'get') return this.get(type, req.namespace, req.name ?? '', answer);
    return this.delete(type, req.namespace, req.name ?? '', answer);
  }

  create(body: unknown, opts: { namespace?: string; dryRun?: boolean }, done: Done<KubeObject>): void {
    const decoded = this.decode(body, opts.namespace);
    if (!decoded.ok) return done(decoded);
    const { type, object } = decoded.value;
    const name = object.metadata.name as string;
    object.metadata.uid = this.newUid();
    object.metadata.creationTimestamp = rfc3339(this.world.now);
    if (object.spec !== undefined) object.metadata.generation = 1;
    if (opts.dryRun) return done({ ok: true, value: object });
    const key = etcdKey(type, object.metadata.namespace, name);
    const txn: TxnRequest = { compare: [{ key, target: 'version', result: '=', operand: 0 }], success: [{ op: 'put', key, value: JSON.stringify(object) }], failure: [] };
    this.etcd.txn(this.host, txn, (o) => {
      if (!o.ok) return done({ ok: false, status: storageError(etcdMessage(o)) });
      if (o.result.kind !== 'txn' || !o.result.txn.succeeded) return done({ ok: false, status: alreadyExists(type, name) });
      done({ ok: true, value: { ...object, metadata: { ...object.metadata, resourceVersion: String(o.result.txn.revision) } } });
    });
  }

  get(type: ResourceType, namespace: string | undefined, name: string, done: Done<KubeObject>): void {
    this.etcd.range(this.host, etcdKey(type, namespace, name), {}, (o) => {
      if (!o.ok) return done({ ok: false, status: storageError(etcdMessage(o)) });
      const kv = o.result.kind === 'range' ? o.result.range.kvs[0] : undefined;
      done(kv === undefined ? { ok: false, status: notFound(type, name) } : { ok: true, value: fromStorage(kv) });
    });
  }

  /** Lists a namespace's objects of a type, or every namespace's with namespace undefined. */
  list(type: ResourceType, namespace: string | undefined, done: Done<ListObject>, labelSelector?: string): void {
    const selector = labelSelector === undefined ? [] : parseLabelSelector(labelSelector);
    if ('error' in selector) return done({ ok: false, status: badRequest(selector.error) });
    const prefix = type.namespaced && namespace !== undefined ? `${type.etcdPrefix}/${namespace}/` : `${type.etcdPrefix}/`;
    this.etcd.range(this.host, prefix, { prefix: true }, (o) => {
      if (!o.ok) return done({ ok: false, status: storageError(etcdMessage(o)) });
      if (o.result.kind !== 'range') return done({ ok: false, status: storageError('unexpected answer from etcd') });
      const range = o.result.range;
      const items = range.kvs.map(fromStorage).filter((o) => matchesSelector(selector, o.metadata.labels));
      done({ ok: true, value: { apiVersion: apiVersionOf(type), kind: `${type.kind}List`, metadata: { resourceVersion: String(range.revision) }, items } });
    });
  }

  /**
   * Replaces an object. With metadata.resourceVersion it succeeds only if the object has not
   * changed since that version (409 Conflict otherwise); without, it replaces whatever is there.
   * uid and creationTimestamp are kept; generation moves when the spec changes.
   */
  update(body: unknown, opts: { namespace?: string; dryRun?: boolean }, done: Done<KubeObject>): void {
    const decoded = this.decode(body, opts.namespace);
    if (!decoded.ok) return done(decoded);
    const { type, object } = decoded.value;
    const name = object.metadata.name as string;
    const key = etcdKey(type, object.metadata.namespace, name);
    const wanted = object.metadata.resourceVersion;
    this.etcd.range(this.host, key, {}, (o) => {
      if (!o.ok) return done({ ok: false, status: storageError(etcdMessage(o)) });
      const kv = o.result.kind === 'range' ? o.result.range.kvs[0] : undefined;
      if (kv === undefined) return done({ ok: false, status: notFound(type, name) });
      if (wanted !== undefined && wanted !== String(kv.modRevision)) return done({ ok: false, status: conflict(type, name) });
      const current = fromStorage(kv);
      const next: KubeObject = { ...object, metadata: { ...object.metadata, uid: current.metadata.uid, creationTimestamp: current.metadata.creationTimestamp } };
      delete next.metadata.resourceVersion;
      if (current.spec !== undefined || next.spec !== undefined) {
        const changed = JSON.stringify(current.spec) !== JSON.stringify(next.spec);
        next.metadata.generation = (current.metadata.generation ?? 1) + (changed ? 1 : 0);
      }
      if (opts.dryRun) return done({ ok: true, value: next });
      const txn: TxnRequest = { compare: [{ key, target: 'mod', result: '=', operand: kv.modRevision }], success: [{ op: 'put', key, value: JSON.stringify(next) }], failure: [] };
      this.etcd.txn(this.host, txn, (w) => {
        if (!w.ok) return done({ ok: false, status: storageError(etcdMessage(w)) });
        if (w.result.kind !== 'txn' || !w.result.txn.succeeded) return done({ ok: false, status: conflict(type, name) });
        done({ ok: true, value: { ...next, metadata: { ...next.metadata, resourceVersion: String(w.result.txn.revision) } } });
      });
    });
  }

  delete(type: ResourceType, namespace: string | undefined, name: string, done: Done<KubeObject>): void {
    const key = etcdKey(type, namespace, name);
    this.get(type, namespace, name, (got) => {
      if (!got.ok) return done(got);
      const txn: TxnRequest = {
        compare: [{ key, target: 'mod', result: '=', operand: Number(got.value.metadata.resourceVersion) }],
        success: [{ op: 'delete', key }],
        failure: [],
      };
      this.etcd.txn(this.host, txn, (o) => {
        if (!o.ok) return done({ ok: false, status: storageError(etcdMessage(o)) });
        if (o.result.kind !== 'txn' || !o.result.txn.succeeded) return done({ ok: false, status: conflict(type, name) });
        done({ ok: true, value: got.value });
      });
    });
  }

  /** Checks a request body: kind known, schema (strict decoding), semantics; then defaults it. */
  private decode(body: unknown, namespace: string | undefined): ApiResult<{ type: ResourceType; object: KubeObject }> {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) return { ok: false, status: badRequest('the request body must be a JSON object') };
    const raw = body as Partial<KubeObject>;
    if (typeof raw.apiVersion !== 'string' || typeof raw.kind !== 'string') {
      return { ok: false, status: badRequest("Object 'Kind' is missing in the request body") };
    }
    const type = resourceForKind(raw.apiVersion, raw.kind);
    if ('error' in type) return { ok: false, status: badRequest(type.error) };
    // Request bodies are JSON: a JSON round trip is the deep copy that keeps exactly what would cross the wire.
    const object = JSON.parse(JSON.stringify(raw)) as KubeObject;
    object.metadata = object.metadata ?? {};
    const name = typeof object.metadata.name === 'string' ? object.metadata.name : '';
    const schemaErrors = validateAgainstKind(raw.apiVersion, raw.kind, object) ?? [];
    const prefix = `${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}: `;
    const unknown = schemaErrors.filter((e) => e.message.startsWith('unknown field'));
    if (unknown.length > 0) {
      return { ok: false, status: badRequest(`${prefix}strict decoding error: ${unknown.map((e) => `unknown field "${formatPath(e.path)}"`).join(', ')}`) };
    }
    const typeErrors = schemaErrors.filter((e) => e.message !== 'Required value');
    if (typeErrors.length > 0) {
      const e = typeErrors[0] as (typeof typeErrors)[number];
      return { ok: false, status: badRequest(`${prefix}${formatPath(e.path)}: ${e.message}`) };
    }
    if (type.namespaced) {
      const ns = namespace ?? object.metadata.namespace ?? 'default';
      if (object.metadata.namespace !== undefined && object.metadata.namespace !== ns) {
        return { ok: false, status: badRequest('the namespace of the provided object does not match the namespace sent on the request') };
      }
      object.metadata.namespace = ns;
    } else {
      delete object.metadata.namespace;
    }
    const required: FieldError[] = schemaErrors.filter((e) => e.message === 'Required value').map((e) => ({ field: formatPath(e.path), type: 'Required value' }));
    const errors = [...required, ...validateSemantics(type, object).filter((e) => !required.some((r) => r.field === e.field))];
    if (errors.length > 0) return { ok: false, status: invalid(type, name, errors) };
    applyDefaults(object);
    return { ok: true, value: { type, object } };
  }

  private newUid(): string {
    const hex = Array.from({ length: 4 }, () => this.uids.u32().toString(16).padStart(8, '0')).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${((parseInt(hex[16] as string, 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }
}

/** An unknown resource in the URL path: 404 with the server's own words. */
function notFoundResource(message: string): Status {
  return { ...badRequest(message), code: 404, reason: 'NotFound' };
}

function fromStorage(kv: KeyValue): KubeObject {
  const o = JSON.parse(kv.value) as KubeObject;
  return { ...o, metadata: { ...o.metadata, resourceVersion: String(kv.modRevision) } };
}

/** etcd's error text, as kube-apiserver passes it on. */
function etcdMessage(o: ClientOutcome & { ok: false }): string {
  return o.error === 'client: no response' ? 'etcdserver: request timed out' : o.error;
}
