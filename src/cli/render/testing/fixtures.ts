// Test support (not built into dist/): trees for `capstan render` tests, and the real render tools for it to run.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { realTools } from '../../../render/testing/tools.js';

const run = promisify(execFile);

/**
 * Points the command (which finds its tools through CAPSTAN_TOOLS_DIR) at the pinned tools
 * tools/build.sh built. A tool that is missing throws: the tests fail, never skip.
 */
export function useRealTools(): void {
  const tools = realTools('kustomize', 'helm', 'jsonnet', 'jsonnet-deps');
  process.env.CAPSTAN_TOOLS_DIR = path.dirname(tools.helm ?? '');
}

/** Makes `dir` a git work tree with everything in it committed; returns the commit. */
export async function commitAll(dir: string): Promise<string> {
  const git = async (...args: string[]) => (await run('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: dir })).stdout.trim();
  await git('init', '--quiet', '--initial-branch=main');
  await git('add', '-A');
  await git('commit', '--quiet', '-m', 'fixture');
  return git('rev-parse', 'HEAD');
}

/** A base and an overlay of it that refers to ../../base, as kustomize repositories lay them out. */
export const kustomizeTree: Readonly<Record<string, string>> = {
  'base/kustomization.yaml': 'resources: [deployment.yaml]\n',
  'base/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          image: nginx:1.25
`,
  'overlays/prod/kustomization.yaml': 'resources: [../../base]\nnamePrefix: prod-\n',
};

/** A chart whose one ConfigMap shows its values, release and capabilities. */
export const chartTree: Readonly<Record<string, string>> = {
  'Chart.yaml': 'apiVersion: v2\nname: site\nversion: 0.1.0\n',
  'values.yaml': 'greeting: hello\nreplicas: 1\ntag: "1.0"\n',
  'values-prod.yaml': 'greeting: hello-prod\n',
  'templates/settings.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-settings
  namespace: {{ .Release.Namespace }}
data:
  greeting: {{ .Values.greeting | quote }}
  replicas: {{ .Values.replicas | quote }}
  tag: {{ kindOf .Values.tag | quote }}
  kubeVersion: {{ .Capabilities.KubeVersion.Version | quote }}
  monitoring: {{ .Capabilities.APIVersions.Has "monitoring.coreos.com/v1" | quote }}
`,
};

/** `tree` with every path put under `dir`. */
export function under(dir: string, tree: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(tree).map(([file, text]) => [`${dir}/${file}`, text]));
}
