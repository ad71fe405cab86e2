import { join } from 'node:path';
import type { Pki } from './pki.js';

/** The processes of the local control plane, in start order. */
export const componentNames = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok'] as const;
export type ComponentName = (typeof componentNames)[number];

export interface ClusterPorts {
  readonly etcdClient: number;
  readonly etcdPeer: number;
  readonly apiserver: number;
  readonly controllerManager: number;
  readonly scheduler: number;
}

export interface ClusterLayout {
  readonly host: string;
  readonly ports: ClusterPorts;
  readonly pki: Pki;
  readonly kubeconfig: string;
  readonly etcdData: string;
  readonly workDir: string;
  readonly serviceCidr: string;
  readonly podCidr: string;
  readonly kwokConfig: string;
}

export const serviceCidr = '10.96.0.0/16';
export const kubernetesServiceIp = '10.96.0.1';
export const podCidr = '10.244.0.1/16';
export const serviceAccountIssuer = 'https://kubernetes.default.svc.cluster.local';

export function apiserverUrl(layout: Pick<ClusterLayout, 'host' | 'ports'>): string {
  return `https://${layout.host}:${layout.ports.apiserver}`;
}

export function etcdUrl(layout: Pick<ClusterLayout, 'host' | 'ports'>): string {
  return `http://${layout.host}:${layout.ports.etcdClient}`;
}

/** Command-line arguments of each component. Pure: the layout says everything. */
export function componentArgs(name: ComponentName, layout: ClusterLayout): string[] {
  const { host, ports, pki, kubeconfig } = layout;
  const clientAuth = [`--kubeconfig=${kubeconfig}`, `--authentication-kubeconfig=${kubeconfig}`, `--authorization-kubeconfig=${kubeconfig}`];
  switch (name) {
    case 'etcd': {
      const peer = `http://${host}:${ports.etcdPeer}`;
      return [
        '--name=capstan', `--data-dir=${layout.etcdData}`,
        `--listen-client-urls=${etcdUrl(layout)}`, `--advertise-client-urls=${etcdUrl(layout)}`,
        `--listen-peer-urls=${peer}`, `--initial-advertise-peer-urls=${peer}`, `--initial-cluster=capstan=${peer}`,
        '--unsafe-no-fsync=true', '--quota-backend-bytes=4294967296', '--log-level=warn',
      ];
    }
    case 'kube-apiserver':
      return [
        `--etcd-servers=${etcdUrl(layout)}`, `--bind-address=${host}`, `--advertise-address=${host}`,
        `--secure-port=${ports.apiserver}`, '--endpoint-reconciler-type=none',
        `--cert-dir=${join(layout.workDir, 'kube-apiserver')}`,
        `--tls-cert-file=${pki.servingCert}`, `--tls-private-key-file=${pki.servingKey}`,
        `--client-ca-file=${pki.caCert}`, '--authorization-mode=RBAC',
        `--service-account-issuer=${serviceAccountIssuer}`, `--service-account-key-file=${pki.serviceAccountPub}`,
        `--service-account-signing-key-file=${pki.serviceAccountKey}`,
        `--service-cluster-ip-range=${layout.serviceCidr}`, '--allow-privileged=true', '--profiling=false',
        '--storage-media-type=application/vnd.kubernetes.protobuf', '--v=0',
      ];
    case 'kube-controller-manager':
      return [
        ...clientAuth, `--bind-address=${host}`, `--secure-port=${ports.controllerManager}`,
        `--cert-dir=${join(layout.workDir, 'kube-controller-manager')}`, '--leader-elect=false',
        `--service-account-private-key-file=${pki.serviceAccountKey}`, `--root-ca-file=${pki.caCert}`,
        `--cluster-signing-cert-file=${pki.caCert}`, `--cluster-signing-key-file=${pki.caKey}`,
        `--service-cluster-ip-range=${layout.serviceCidr}`, '--use-service-account-credentials=false',
        '--profiling=false', '--v=0',
      ];
    case 'kube-scheduler':
      return [
        ...clientAuth, `--bind-address=${host}`, `--secure-port=${ports.scheduler}`,
        `--cert-dir=${join(layout.workDir, 'kube-scheduler')}`, '--leader-elect=false', '--profiling=false', '--v=0',
      ];
    case 'kwok':
      return [
        `--kubeconfig=${kubeconfig}`, `--config=${layout.kwokConfig}`, '--manage-all-nodes=false',
        `--manage-nodes-with-annotation-selector=${fakeNodeAnnotation.key}=${fakeNodeAnnotation.value}`,
        `--cidr=${layout.podCidr}`, `--node-ip=${host}`, '--node-lease-duration-seconds=40',
      ];
  }
}

/** Nodes carrying this annotation are simulated by KWOK. */
export const fakeNodeAnnotation = { key: 'kwok.x-k8s.io/node', value: 'fake' } as const;
