import { describe, expect, it } from 'vitest';
import type { KubeObject } from './apiObjects';
import { applyRuntimeClass, checkOverhead, mergeTolerations, runtimeClassNotFound, type Toleration } from './runtimeClassAdmission';

const runtimeClass = (fields: Record<string, unknown>): KubeObject => ({ apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass', metadata: { name: 'gvisor' }, handler: 'runsc', ...fields });
const containers = [{ name: 'app', image: 'nginx' }];

describe('RuntimeClass admission: mutation', () => {
  it('names a missing class as the plugin does', () => {
    expect(runtimeClassNotFound('gvisor')).toBe('pod rejected: RuntimeClass "gvisor" not found');
  });

  it("copies the class's podFixed overhead into the pod, leaving the given spec alone", () => {
    const spec = { containers, runtimeClassName: 'gvisor' };
    const applied = applyRuntimeClass(spec, runtimeClass({ overhead: { podFixed: { cpu: '250m', memory: '120Mi' } } }));
    expect(applied).toEqual({ spec: { ...spec, overhead: { cpu: '250m', memory: '120Mi' } } });
    expect(spec).not.toHaveProperty('overhead');
  });

  it('accepts an overhead equal in value, refuses a different one', () => {
    const rc = runtimeClass({ overhead: { podFixed: { cpu: '250m' } } });
    expect(applyRuntimeClass({ containers, overhead: { cpu: '0.25' } }, rc)).toEqual({ spec: { containers, overhead: { cpu: '250m' } } });
    expect(applyRuntimeClass({ containers, overhead: { cpu: '1' } }, rc)).toEqual({ refused: "pod rejected: Pod's Overhead doesn't match RuntimeClass's defined Overhead" });
  });

  it("merges the class's nodeSelector, refusing a contradiction", () => {
    const rc = runtimeClass({ scheduling: { nodeSelector: { sandbox: 'gvisor', zone: 'a' } } });
    expect(applyRuntimeClass({ containers }, rc)).toEqual({ spec: { containers, nodeSelector: { sandbox: 'gvisor', zone: 'a' } } });
    expect(applyRuntimeClass({ containers, nodeSelector: { disk: 'ssd', zone: 'a' } }, rc)).toEqual({ spec: { containers, nodeSelector: { disk: 'ssd', zone: 'a', sandbox: 'gvisor' } } });
    expect(applyRuntimeClass({ containers, nodeSelector: { zone: 'b' } }, rc)).toEqual({ refused: 'conflict: runtimeClass.scheduling.nodeSelector[zone] = a; pod.spec.nodeSelector[zone] = b' });
  });

  it("adds the class's tolerations to the pod's", () => {
    const sandbox: Toleration = { key: 'sandbox', operator: 'Equal', value: 'gvisor', effect: 'NoSchedule' };
    const podTolerations: Toleration[] = [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }];
    const applied = applyRuntimeClass({ containers, tolerations: podTolerations }, runtimeClass({ scheduling: { tolerations: [sandbox] } }));
    expect(applied).toEqual({ spec: { containers, tolerations: [...podTolerations, sandbox] } });
  });
});

describe('RuntimeClass admission: validation', () => {
  it('refuses an overhead the pod set itself, without a class that defines one', () => {
    expect(checkOverhead({ containers, overhead: { cpu: '1' } }, undefined)).toBe('pod rejected: Pod Overhead set without corresponding RuntimeClass defined Overhead');
    expect(checkOverhead({ containers, overhead: { cpu: '1' } }, runtimeClass({}))).toBe('pod rejected: Pod Overhead set without corresponding RuntimeClass defined Overhead');
    expect(checkOverhead({ containers }, undefined)).toBeUndefined();
    expect(checkOverhead({ containers, overhead: { cpu: '250m' } }, runtimeClass({ overhead: { podFixed: { cpu: '250m' } } }))).toBeUndefined();
  });
});

describe('mergeTolerations', () => {
  const t = (key: string, operator: string, effect?: string, value?: string, tolerationSeconds?: number): Toleration => ({
    key,
    operator,
    ...(effect === undefined ? {} : { effect }),
    ...(value === undefined ? {} : { value }),
    ...(tolerationSeconds === undefined ? {} : { tolerationSeconds }),
  });

  it('keeps one of two equal tolerations, the first', () => {
    expect(mergeTolerations([t('a', 'Exists', 'NoSchedule')], [t('a', 'Exists', 'NoSchedule')])).toEqual([t('a', 'Exists', 'NoSchedule')]);
  });

  it('drops a toleration another covers: Exists over Equal, no effect over an effect, every key over one key', () => {
    expect(mergeTolerations([t('a', 'Equal', 'NoSchedule', 'x')], [t('a', 'Exists', 'NoSchedule')])).toEqual([t('a', 'Exists', 'NoSchedule')]);
    expect(mergeTolerations([t('a', 'Exists', 'NoSchedule')], [t('a', 'Exists')])).toEqual([t('a', 'Exists')]);
    expect(mergeTolerations([t('a', 'Exists', 'NoSchedule'), t('b', 'Equal', 'NoExecute', 'y')], [t('', 'Exists')])).toEqual([t('', 'Exists')]);
  });

  it('keeps a NoExecute toleration for longer than the wider one allows', () => {
    const long = t('a', 'Exists', 'NoExecute', undefined, 600);
    const short = t('a', 'Exists', 'NoExecute', undefined, 300);
    expect(mergeTolerations([long], [short])).toEqual([long]);
    expect(mergeTolerations([short], [long])).toEqual([long]);
  });

  it('keeps tolerations of different keys side by side, the first list first', () => {
    expect(mergeTolerations([t('a', 'Exists')], [t('b', 'Exists')])).toEqual([t('a', 'Exists'), t('b', 'Exists')]);
  });
});
