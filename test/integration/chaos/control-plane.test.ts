// Issue 17, smoke versions of apiserver-restart and etcd-restart (npm run chaos runs them in full),
// on a control plane of this file's own: kube-apiserver killed mid-sync and started again; etcd
// killed and started again; etcd compacted and the API server restarted (every watch gets 410 Gone).
import { afterAll, describe, it } from '@jest/globals';
import { down } from '../../cluster/launcher.js';
import { privatePlaneDir } from '../../chaos/private-plane.js';
import { apiserverRestart, etcdRestart } from '../../chaos/scenarios/control-plane.js';
import { expectScenarioHolds } from './smoke.js';

afterAll(async () => {
  await down(privatePlaneDir);
}, 120_000);

describe('chaos smoke: the control plane restarting', () => {
  it('keeps every invariant when kube-apiserver is killed and restarted mid-sync', async () => {
    await expectScenarioHolds(apiserverRestart);
  }, 600_000);

  it('keeps every invariant when etcd restarts, and when every watch resumes with 410 Gone', async () => {
    await expectScenarioHolds(etcdRestart);
  }, 600_000);
});
