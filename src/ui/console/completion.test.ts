import { describe, expect, it } from 'vitest';
import { type CompletionSource, completeLine } from './completion';

const NAMES: Record<string, Record<string, string[]>> = {
  pods: { default: ['web-7d4b9c-abcde', 'web-7d4b9c-fghij', 'db-0'], 'kube-system': ['etcd-master-1', 'kube-proxy-x1'] },
  deployments: { default: ['web', 'api'], 'kube-system': ['coredns'] },
  nodes: { '': ['master-1', 'master-2', 'master-3', 'worker-1', 'worker-2', 'worker-3'] },
  statefulsets: { default: ['db'] },
};

const source: CompletionSource = {
  names: (plural, namespace) => {
    const byNs = NAMES[plural] ?? {};
    return namespace === undefined ? Object.values(byNs).flat() : (byNs[namespace] ?? []);
  },
  namespaces: () => ['default', 'kube-node-lease', 'kube-public', 'kube-system'],
  contexts: () => ['kubeplay', 'master-1', 'master-2', 'master-3'],
  nodes: () => NAMES.nodes?.['']?.slice() ?? [],
  zones: () => ['zone-a', 'zone-b'],
  files: () => ['db.yaml', 'web.yaml'],
};

/** Completes at the end of the line. */
const complete = (line: string) => completeLine(line, line.length, source);

describe('completeLine', () => {
  it('completes the first word from the commands the console runs', () => {
    expect(complete('')).toEqual({ from: 0, candidates: ['clear', 'crash', 'curl', 'etcdctl', 'heal', 'help', 'images', 'isolate', 'k', 'kill', 'kubectl', 'load', 'partition', 'restart', 'ssh'] });
    expect(complete('ku')).toEqual({ from: 0, candidates: ['kubectl'] });
    expect(complete('k').candidates).toEqual(['k', 'kill', 'kubectl']);
    expect(complete('  etc')).toEqual({ from: 2, candidates: ['etcdctl'] });
    expect(complete('crash ').candidates).toEqual(['pod']);
  });

  it('starts a URL to a node for curl and load, which reach the cluster from outside through a NodePort', () => {
    expect(complete('curl http://w').candidates).toEqual(['http://worker-1:', 'http://worker-2:', 'http://worker-3:']);
    expect(complete('load ').candidates).toContain('stop');
    expect(complete('load http://master-1').candidates).toEqual(['http://master-1:']);
    expect(complete('load http://worker-1:30080/ --r').candidates).toEqual(['--rate']);
    expect(complete('load stop http://worker-3').candidates).toEqual(['http://worker-3:']);
    expect(complete('load stop http://worker-3:30080/ ').candidates).toEqual([]);
    expect(complete('load http://worker-1:30080/ --rate ').candidates).toEqual([]);
    expect(complete('load http://worker-1:30080/ --rate 5 ').candidates).toEqual([]);
    expect(complete('curl -m ').candidates).toEqual([]);
  });

  it('completes kubectl commands and subcommands', () => {
    expect(complete('kubectl sc')).toEqual({ from: 8, candidates: ['scale'] });
    expect(complete('k ro').candidates).toEqual(['rollout']);
    expect(complete('kubectl rollout ').candidates).toEqual(['history', 'pause', 'restart', 'resume', 'status', 'undo']);
    expect(complete('kubectl config use').candidates).toEqual(['use-context']);
    expect(complete('kubectl config use-context ma').candidates).toEqual(['master-1', 'master-2', 'master-3']);
    expect(complete('kubectl top ').candidates).toEqual(['node', 'pod']);
    expect(complete('kubectl create se').candidates).toEqual(['secret', 'service']);
    expect(complete('kubectl create service ').candidates).toEqual(['clusterip', 'nodeport']);
    expect(complete('kubectl x').candidates).toEqual([]);
  });

  it('completes resource types by plural, singular and short name', () => {
    expect(complete('kubectl get po')).toEqual({ from: 12, candidates: ['po', 'pod', 'poddisruptionbudget', 'poddisruptionbudgets', 'pods'] });
    expect(complete('kubectl get deploy').candidates).toEqual(['deploy', 'deployment', 'deployments']);
    expect(complete('kubectl get a').candidates).toEqual(['all']);
    expect(complete('kubectl get pods,sv')).toEqual({ from: 17, candidates: ['svc'] });
    expect(complete('kubectl explain sts').candidates).toEqual(['sts']);
  });

  it('narrows the types to those the command works on', () => {
    expect(complete('kubectl scale ').candidates).toEqual(['deploy', 'deployment', 'deployments', 'replicaset', 'replicasets', 'rs', 'statefulset', 'statefulsets', 'sts']);
    expect(complete('kubectl rollout status d').candidates).toEqual(['daemonset', 'daemonsets', 'deploy', 'deployment', 'deployments', 'ds']);
  });

  it('completes object names after a type, in the namespace the line names', () => {
    expect(complete('kubectl get pods we')).toEqual({ from: 17, candidates: ['web-7d4b9c-abcde', 'web-7d4b9c-fghij'] });
    expect(complete('kubectl get pods -n kube-system ').candidates).toEqual(['etcd-master-1', 'kube-proxy-x1']);
    expect(complete('kubectl -n kube-system describe deploy ').candidates).toEqual(['coredns']);
    expect(complete('kubectl get deploy --namespace=kube-system c').candidates).toEqual(['coredns']);
    expect(complete('kubectl get deploy -A ').candidates).toEqual(['api', 'coredns', 'web']);
    expect(complete('kubectl get pods web-7d4b9c-abcde web-').candidates).toEqual(['web-7d4b9c-abcde', 'web-7d4b9c-fghij']);
    // Cluster-scoped types ignore -n.
    expect(complete('kubectl get nodes -n kube-system wor').candidates).toEqual(['worker-1', 'worker-2', 'worker-3']);
    expect(complete('kubectl scale sts ').candidates).toEqual(['db']);
  });

  it('completes TYPE/NAME, keeping the type as typed', () => {
    expect(complete('kubectl describe deploy/w')).toEqual({ from: 17, candidates: ['deploy/web'] });
    expect(complete('kubectl rollout restart deployments.apps/').candidates).toEqual(['deployments.apps/api', 'deployments.apps/web']);
    expect(complete('kubectl scale pod/').candidates).toEqual([]);
    expect(complete('kubectl logs deploy/a').candidates).toEqual(['deploy/api']);
  });

  it('completes namespaces, contexts and files after their flags', () => {
    expect(complete('kubectl get pods -n kube-sy')).toEqual({ from: 20, candidates: ['kube-system'] });
    expect(complete('kubectl get pods --namespace=kube-p')).toEqual({ from: 29, candidates: ['kube-public'] });
    expect(complete('kubectl --context mas').candidates).toEqual(['master-1', 'master-2', 'master-3']);
    expect(complete('kubectl apply -f we')).toEqual({ from: 17, candidates: ['web.yaml'] });
    expect(complete('kubectl apply --filename ').candidates).toEqual(['db.yaml', 'web.yaml']);
    expect(complete('kubectl delete -f d').candidates).toEqual(['db.yaml']);
  });

  it('completes flags and -o values', () => {
    expect(complete('kubectl get pods -o ').candidates).toEqual(['json', 'jsonpath=', 'name', 'wide', 'yaml']);
    expect(complete('kubectl apply -f web.yaml -o ').candidates).toEqual(['json', 'jsonpath=', 'name', 'yaml']);
    expect(complete('kubectl get pods --output=y')).toEqual({ from: 26, candidates: ['yaml'] });
    expect(complete('kubectl scale deploy web --rep').candidates).toEqual(['--replicas=']);
    expect(complete('kubectl get pods -').candidates).toEqual(
      expect.arrayContaining(['-A', '-l', '-n', '-o', '--all-namespaces', '--context=', '--namespace=', '--output=', '--selector=', '--show-labels']),
    );
    expect(complete('kubectl --').candidates).toEqual(['--context=', '--namespace=']);
    expect(complete('kubectl delete pod x --cascade=').candidates).toEqual(['background', 'foreground', 'orphan']);
    expect(complete('kubectl apply -f web.yaml --dry').candidates).toEqual(['--dry-run', '--dry-run=']);
  });

  it('completes nodes after the node commands', () => {
    expect(complete('kubectl cordon w').candidates).toEqual(['worker-1', 'worker-2', 'worker-3']);
    expect(complete('kubectl drain --ignore-daemonsets worker-').candidates).toEqual(['worker-1', 'worker-2', 'worker-3']);
    expect(complete('kubectl taint no').candidates).toEqual(['no', 'node', 'nodes']);
    expect(complete('kubectl taint nodes master-').candidates).toEqual(['master-1', 'master-2', 'master-3']);
    expect(complete('kubectl taint node/worker-1').candidates).toEqual(['node/worker-1']);
    expect(complete('kubectl top node m').candidates).toEqual(['master-1', 'master-2', 'master-3']);
    expect(complete('kubectl top pods d').candidates).toEqual(['db-0']);
  });

  it('completes etcdctl', () => {
    expect(complete('etcdctl ')).toEqual({ from: 8, candidates: ['endpoint', 'get', 'member'] });
    expect(complete('etcdctl endpoint s').candidates).toEqual(['status']);
    expect(complete('etcdctl member ').candidates).toEqual(['list']);
    expect(complete('etcdctl endpoint status --c').candidates).toEqual(['--cluster']);
    expect(complete('etcdctl endpoint status -w t').candidates).toEqual(['table']);
    expect(complete('etcdctl endpoint status --write-out=j')).toEqual({ from: 36, candidates: ['json'] });
    expect(complete('etcdctl -w table member ').candidates).toEqual(['list']);
  });

  it('completes the fault commands with nodes and zones', () => {
    expect(complete('kill wor')).toEqual({ from: 5, candidates: ['worker-1', 'worker-2', 'worker-3'] });
    expect(complete('restart zone').candidates).toEqual(['zone-a', 'zone-b']);
    expect(complete('isolate zone').candidates).toEqual([]);
    expect(complete('kill worker-1 ').candidates).toEqual([]);
    expect(complete('heal ').candidates).toEqual(['all', 'links', 'partitions']);
    expect(complete('partition zone-a,zo')).toEqual({ from: 17, candidates: ['zone-a', 'zone-b'] });
    expect(complete('partition zone-a | [zone-').candidates).toEqual(['zone-a', 'zone-b']);
    expect(complete('ssh worker-1 ').candidates).toEqual(['systemctl']);
    expect(complete('ssh worker-1 systemctl st').candidates).toEqual(['start', 'stop']);
    expect(complete('ssh worker-1 systemctl stop ').candidates).toEqual(['kubelet']);
    expect(complete('clear ').candidates).toEqual([]);
  });

  it('completes the word at the cursor when the cursor is inside the line', () => {
    const line = 'kubectl sc deploy web --replicas=3';
    expect(completeLine(line, 'kubectl sc'.length, source)).toEqual({ from: 8, candidates: ['scale'] });
    const nsLine = 'kubectl get pods -n kube-sy -o wide';
    expect(completeLine(nsLine, 'kubectl get pods -n kube-sy'.length, source)).toEqual({ from: 20, candidates: ['kube-system'] });
    // Only what is left of the cursor counts: "kubectl g|et" completes "g".
    expect(completeLine('kubectl get', 'kubectl g'.length, source).candidates).toEqual(['get']);
    expect(completeLine('kubectl get pods', 99, source).candidates).toEqual(['pods']);
  });
});
