import { describe, expect, it } from '@jest/globals';
import { compareKindOrder, kindOrderTable, kindRank } from './kind-order.js';
import { comparePruneOrder, compareSyncOrder, type Orderable, type SyncPhase } from './order.js';

function item(kind: string, name: string, options: { phase?: SyncPhase; wave?: number; namespace?: string; group?: string } = {}): Orderable {
  return {
    phase: options.phase ?? 'Sync',
    wave: options.wave ?? 0,
    key: { group: options.group ?? '', kind, namespace: options.namespace ?? 'ns', name },
  };
}

const label = (o: Orderable) => `${o.phase}/${String(o.wave)}/${o.key.kind}/${o.key.namespace}/${o.key.name}`;

describe('kind order', () => {
  it('ranks known kinds by the table and unknown kinds after them', () => {
    expect(kindRank('Namespace')).toBe(0);
    expect(kindRank('APIService')).toBe(kindOrderTable.length - 1);
    expect(kindRank('Widget')).toBe(kindOrderTable.length);
  });

  it.each([
    ['Namespace', 'ConfigMap'],
    ['ConfigMap', 'Deployment'],
    ['CustomResourceDefinition', 'ClusterRole'],
    ['Service', 'Deployment'],
    ['Deployment', 'Ingress'],
    ['APIService', 'Certificate'],
    ['Certificate', 'Widget'],
  ])('%s comes before %s', (first, second) => {
    expect(compareKindOrder(first, second)).toBeLessThan(0);
    expect(compareKindOrder(second, first)).toBeGreaterThan(0);
  });

  it('compares a kind equal to itself', () => {
    expect(compareKindOrder('Widget', 'Widget')).toBe(0);
    expect(compareKindOrder('Service', 'Service')).toBe(0);
  });
});

describe('compareSyncOrder', () => {
  it('orders by phase, then wave, then kind, then namespace, then name', () => {
    const expected = [
      item('Job', 'migrate', { phase: 'PreSync', wave: 5 }),
      item('Deployment', 'early', { wave: -1 }),
      item('Namespace', 'z-ns', { namespace: '' }),
      item('ConfigMap', 'b', { namespace: 'alpha' }),
      item('ConfigMap', 'a', { namespace: 'beta' }),
      item('ConfigMap', 'b', { namespace: 'beta' }),
      item('Deployment', 'a'),
      item('Ingress', 'a'),
      item('Certificate', 'z', { group: 'cert-manager.io' }),
      item('Widget', 'a', { group: 'example.com' }),
      item('Service', 'late', { wave: 2 }),
      item('Job', 'smoke', { phase: 'PostSync', wave: -10 }),
    ];
    const shuffled = [...expected].reverse();
    shuffled.push(...shuffled.splice(0, 5));
    expect(shuffled.sort(compareSyncOrder).map(label)).toEqual(expected.map(label));
  });

  it('breaks a tie on the group, so the order is total', () => {
    const a = item('Widget', 'x', { group: 'a.example.com' });
    const b = item('Widget', 'x', { group: 'b.example.com' });
    expect(compareSyncOrder(a, b)).toBeLessThan(0);
    expect(compareSyncOrder(b, a)).toBeGreaterThan(0);
    expect(compareSyncOrder(a, item('Widget', 'x', { group: 'a.example.com' }))).toBe(0);
  });
});

describe('comparePruneOrder', () => {
  it('reverses the kind order and keeps names ascending', () => {
    const sorted = [item('Namespace', 'ns', { namespace: '' }), item('ConfigMap', 'b'), item('ConfigMap', 'a'), item('Deployment', 'web'), item('Widget', 'w')].sort(
      comparePruneOrder,
    );
    expect(sorted.map((o) => o.key.kind + ':' + o.key.name)).toEqual(['Widget:w', 'Deployment:web', 'ConfigMap:a', 'ConfigMap:b', 'Namespace:ns']);
  });
});
