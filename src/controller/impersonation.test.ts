import { describe, expect, it } from '@jest/globals';
import type { Application } from '../api/application.js';
import { project } from '../projects/testing/project.js';
import { fixedDestination } from './adapters.js';
import { impersonatingDestinations } from './impersonation.js';
import type { Applier, DestinationPorts } from './ports.js';
import { fixedProjects } from './project-source.js';
import { fakeDestinationPorts } from './testing/deps.js';
import { FakeCluster } from './testing/fake-cluster.js';

const app = (projectName: string, namespace: string): Application => ({
  apiVersion: 'capstan.dev/v1alpha1', kind: 'Application', metadata: { name: 'web', namespace: 'capstan' },
  spec: { project: projectName, source: { repoURL: 'https://git.example/a.git' }, destination: { namespace } },
});

/** Destination ports whose applierAs hands out one marked applier per user. */
function ports(): { ports: DestinationPorts; users: string[] } {
  const cluster = new FakeCluster();
  const base = fakeDestinationPorts(cluster);
  const users: string[] = [];
  return {
    users,
    ports: { ...base, applierAs: (user): Applier => { users.push(user); return { ...cluster.applier }; } },
  };
}

const projects = fixedProjects([project('team-a', {
  destinationServiceAccounts: [
    { server: 'https://kubernetes.default.svc', namespace: 'team-a-*', defaultServiceAccount: 'deployer' },
    { server: '*', namespace: 'shared', defaultServiceAccount: 'infra:shared-deployer' },
  ],
})]);

describe('impersonatingDestinations', () => {
  it('writes as the ServiceAccount the project names for the destination, reads as the controller', async () => {
    const { ports: target, users } = ports();
    const resolver = impersonatingDestinations(fixedDestination(target), projects);
    const found = await resolver.resolve(app('team-a', 'team-a-web'));
    if (!found.ok) throw new Error(found.error.message);
    expect(users).toEqual(['system:serviceaccount:team-a-web:deployer']);
    expect(found.value.applier).not.toBe(target.applier);
    expect(found.value.live).toBe(target.live);
    expect(found.value.kinds).toBe(target.kinds);
    const shared = await resolver.resolve(app('team-a', 'shared'));
    expect(shared.ok).toBe(true);
    expect(users).toEqual(['system:serviceaccount:team-a-web:deployer', 'system:serviceaccount:infra:shared-deployer']);
  });

  it('keeps the controller as writer where the project names no ServiceAccount, or does not exist', async () => {
    const { ports: target, users } = ports();
    const resolver = impersonatingDestinations(fixedDestination(target), projects);
    for (const a of [app('team-a', 'elsewhere'), app('default', 'team-a-web'), app('missing', 'team-a-web')]) {
      const found = await resolver.resolve(a);
      expect(found.ok && found.value.applier).toBe(target.applier);
    }
    expect(users).toEqual([]);
  });
});
