import { describe, expect, it } from '@jest/globals';
import { KubeConfig } from '@kubernetes/client-node';
import { componentArgs, componentNames, type ClusterLayout } from './components.js';
import { renderAdminKubeconfig } from './kubeconfig.js';

const layout: ClusterLayout = {
  host: '127.0.0.1',
  ports: { etcdClient: 1001, etcdPeer: 1002, apiserver: 1003, controllerManager: 1004, scheduler: 1005 },
  pki: {
    caCert: '/s/ca.crt', caKey: '/s/ca.key', servingCert: '/s/apiserver.crt', servingKey: '/s/apiserver.key',
    adminCert: '/s/admin.crt', adminKey: '/s/admin.key', serviceAccountKey: '/s/sa.key', serviceAccountPub: '/s/sa.pub',
  },
  kubeconfig: '/s/kubeconfig', etcdData: '/s/etcd', workDir: '/s/work', serviceCidr: '10.96.0.0/16', podCidr: '10.244.0.1/16', kwokConfig: '/s/kwok.yaml',
};

describe('component arguments', () => {
  it('runs the API server on loopback without an endpoint reconciler, with RBAC and service-account keys', () => {
    const args = componentArgs('kube-apiserver', layout);
    expect(args).toEqual(expect.arrayContaining([
      '--advertise-address=127.0.0.1', '--bind-address=127.0.0.1', '--secure-port=1003', '--endpoint-reconciler-type=none',
      '--authorization-mode=RBAC', '--client-ca-file=/s/ca.crt', '--etcd-servers=http://127.0.0.1:1001',
      '--service-account-key-file=/s/sa.pub', '--service-account-signing-key-file=/s/sa.key',
    ]));
  });

  it('binds every component to its own port on loopback and never leader-elects', () => {
    const ports = new Set<string>();
    for (const name of componentNames) {
      for (const arg of componentArgs(name, layout)) {
        const m = /^--(?:secure-port|listen-client-urls|listen-peer-urls)=.*?(\d+)$/.exec(arg);
        if (m?.[1] !== undefined) ports.add(m[1]);
      }
    }
    expect([...ports].sort()).toEqual(['1001', '1002', '1003', '1004', '1005']);
    expect(componentArgs('kube-controller-manager', layout)).toContain('--leader-elect=false');
    expect(componentArgs('kube-scheduler', layout)).toContain('--leader-elect=false');
  });

  it('lets KWOK manage only the annotated fake nodes', () => {
    const args = componentArgs('kwok', layout);
    expect(args).toContain('--manage-all-nodes=false');
    expect(args).toContain('--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake');
  });
});

describe('admin kubeconfig', () => {
  it('is a self-contained kubeconfig that client-node loads', () => {
    const text = renderAdminKubeconfig({ server: 'https://127.0.0.1:1003', caCertPem: 'CA', clientCertPem: 'CERT', clientKeyPem: 'KEY', user: 'capstan-admin' });
    const kc = new KubeConfig();
    kc.loadFromString(text);
    expect(kc.getCurrentCluster()?.server).toBe('https://127.0.0.1:1003');
    expect(kc.getCurrentCluster()?.caData).toBe(Buffer.from('CA').toString('base64'));
    expect(kc.getCurrentUser()?.name).toBe('capstan-admin');
    expect(kc.getCurrentUser()?.keyData).toBe(Buffer.from('KEY').toString('base64'));
  });
});
