import { CoreV1Api, type KubeConfig, type V1Node } from '@kubernetes/client-node';
import { fakeNodeAnnotation } from './components.js';

export const fakeNodeCount = 3;

/** A Node that KWOK simulates: it becomes Ready and runs whatever is scheduled on it. */
export function fakeNode(name: string): V1Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: { [fakeNodeAnnotation.key]: fakeNodeAnnotation.value, 'node.alpha.kubernetes.io/ttl': '0' },
      labels: {
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/os': 'linux',
        'kubernetes.io/hostname': name,
        'node-role.kubernetes.io/agent': '',
        type: 'kwok',
      },
    },
    status: {
      allocatable: { cpu: '32', memory: '256Gi', pods: '110' },
      capacity: { cpu: '32', memory: '256Gi', pods: '110' },
      nodeInfo: {
        architecture: 'amd64', operatingSystem: 'linux', kubeletVersion: 'fake', kubeProxyVersion: 'fake',
        bootID: '', containerRuntimeVersion: '', kernelVersion: '', machineID: '', osImage: '', systemUUID: '',
      },
      phase: 'Running',
    },
  };
}

export function fakeNodeNames(count = fakeNodeCount): string[] {
  return Array.from({ length: count }, (_, i) => `kwok-node-${i}`);
}

/** Creates the fake nodes that do not exist yet. */
export async function ensureFakeNodes(kc: KubeConfig, names: readonly string[]): Promise<void> {
  const core = kc.makeApiClient(CoreV1Api);
  const existing = new Set((await core.listNode()).items.map((n) => n.metadata?.name));
  for (const name of names) {
    if (!existing.has(name)) await core.createNode({ body: fakeNode(name) });
  }
}

export function isNodeReady(node: V1Node): boolean {
  return node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

export async function readyNodeCount(kc: KubeConfig): Promise<number> {
  const core = kc.makeApiClient(CoreV1Api);
  return (await core.listNode()).items.filter(isNodeReady).length;
}
