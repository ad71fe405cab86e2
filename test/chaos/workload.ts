/**
 * The campaign's workload: N apps in one repository, each a PreSync hook Job, ConfigMaps in three
 * sync waves, a Deployment in the middle wave (so the last wave waits for a rollout) and a
 * ConfigMap whose name changes with every generation (so every sync also prunes). Each trial
 * commits the next generation, which changes every object of every app.
 */
import type { ObjectRef } from './invariants.js';

export interface WorkloadShape {
  readonly apps: number;
  /** Objects per app, the hook included (at least 4). */
  readonly objects: number;
}

export function appName(i: number): string {
  return `app-${i}`;
}

export function appPath(i: number): string {
  return `apps/${appName(i)}`;
}

const annotations = (entries: Record<string, string>): string => `  annotations:\n${Object.entries(entries).map(([k, v]) => `    ${k}: "${v}"`).join('\n')}\n`;

function hookJob(generation: number): string {
  return `apiVersion: batch/v1
kind: Job
metadata:
  name: pre
${annotations({ 'capstan.dev/hook': 'PreSync', 'capstan.dev/hook-delete-policy': 'BeforeHookCreation' })}spec:
  backoffLimit: 0
  template:
    metadata:
      labels: { generation: "${generation}" }
    spec:
      restartPolicy: Never
      containers:
        - name: main
          image: busybox:1.36
`;
}

function config(name: string, wave: number, generation: number): string {
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
${annotations({ 'capstan.dev/sync-wave': String(wave) })}data:
  generation: "${generation}"
`;
}

function web(generation: number): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
${annotations({ 'capstan.dev/sync-wave': '1' })}spec:
  replicas: 1
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
      annotations: { generation: "${generation}" }
    spec:
      containers:
        - name: main
          image: nginx:1.27
`;
}

/** The number of plain ConfigMaps of an app: the hook, the Deployment and the rotating ConfigMap aside. */
function configCount(shape: WorkloadShape): number {
  return Math.max(1, shape.objects - 3);
}

/** The files of app `i` at `generation`: path → YAML. */
export function appFiles(shape: WorkloadShape, i: number, generation: number): Map<string, string> {
  const files = new Map<string, string>();
  const dir = appPath(i);
  files.set(`${dir}/hook.yaml`, hookJob(generation));
  files.set(`${dir}/web.yaml`, web(generation));
  for (let j = 0; j < configCount(shape); j++) files.set(`${dir}/config-${j}.yaml`, config(`config-${j}`, j % 3, generation));
  files.set(`${dir}/rotating.yaml`, config(`rotating-${generation % 2}`, 2, generation));
  return files;
}

/** What app `i` declares at `generation` (its hook aside), in `namespace`. */
export function declaredObjects(shape: WorkloadShape, namespace: string, generation: number): Set<ObjectRef> {
  const refs = new Set<ObjectRef>([`Deployment/${namespace}/web`, `ConfigMap/${namespace}/rotating-${generation % 2}`]);
  for (let j = 0; j < configCount(shape); j++) refs.add(`ConfigMap/${namespace}/config-${j}`);
  return refs;
}
