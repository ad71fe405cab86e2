/** Every scenario of the campaign, in the order a full run takes them. */
import type { Scenario } from '../scenario.js';
import { clusterDown } from './cluster-down.js';
import { apiserverRestart, etcdRestart } from './control-plane.js';
import { killLeader } from './kill-leader.js';
import { partition } from './partition.js';

export const scenarios: readonly Scenario[] = [killLeader, apiserverRestart, etcdRestart, partition, clusterDown];
