import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { validateAgainstKind } from '../../engine/schema/kubernetesSchemas';
import { goldenTranscript } from '../../scenario/goldenTranscript';
import { isTabName } from './persistence';
import { STARTER_TABS } from './starters';

describe('the starter manifests', () => {
  it.each(STARTER_TABS.map((t) => [t.name, t.text] as const))('%s parses, and every document validates against its kind', (name, text) => {
    expect(isTabName(name)).toBe(true);
    const docs = parseAllDocuments(text);
    const list = Array.isArray(docs) ? docs : [docs];
    expect(list.length).toBeGreaterThan(0);
    for (const doc of list) {
      expect(doc.errors).toEqual([]);
      const value = doc.toJS() as { apiVersion: string; kind: string };
      expect(validateAgainstKind(value.apiVersion, value.kind, value)).toEqual([]);
    }
  });

  it('web.yaml is an nginx Deployment with its Service', () => {
    const [deploy, service] = parseAllDocuments(STARTER_TABS[0]?.text ?? '') as unknown as { toJS(): Record<string, unknown> }[];
    expect(STARTER_TABS[0]?.name).toBe('web.yaml');
    expect(deploy?.toJS()).toMatchObject({ kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 3 } });
    expect(JSON.stringify(deploy?.toJS())).toContain('"image":"nginx:1.27"');
    expect(JSON.stringify(deploy?.toJS())).toContain('"requests":{"cpu":"100m","memory":"128Mi"}');
    expect(service?.toJS()).toMatchObject({ kind: 'Service', metadata: { name: 'web' }, spec: { type: 'ClusterIP', ports: [{ port: 80 }] } });
  });

  it('apply cleanly on the simulated cluster', () => {
    const files = Object.fromEntries(STARTER_TABS.map((t) => [t.name, t.text]));
    const transcript = goldenTranscript([{ wait: 5_000 }, ...STARTER_TABS.map((t) => ({ kubectl: `apply -f ${t.name}` }))], 1, files);
    expect(transcript).not.toMatch(/exit [^0]/);
    expect(transcript).toContain('deployment.apps/web created\nservice/web created\n');
    expect(transcript).toContain('pod/sleeper created\n');
    expect(transcript).toContain('deployment.apps/spread created\n');
  });
});
