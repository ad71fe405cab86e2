// `capstan render --plugins FILE`: config management plugins of a capstan-config ConfigMap on disk
// (shell plugins, run in the tool sandbox as the controller runs them).
import { afterAll, describe, expect, it } from '@jest/globals';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import yaml from 'js-yaml';
import { TempTrees } from '../../render/testing/tools.js';
import { runCommand } from '../output/testing/run-command.js';
import { registerRenderCommand } from '../render-command.js';
import { commitAll } from './testing/fixtures.js';

interface Obj {
  kind: string;
  metadata: { name: string; namespace?: string };
  data?: Record<string, string>;
}

const trees = new TempTrees('capstan-render-plugins');
afterAll(() => trees.remove());

async function render(args: readonly string[]): Promise<{ objects: Obj[]; err: string; code: number | undefined }> {
  const io = await runCommand(registerRenderCommand, ['render', ...args]);
  return { objects: yaml.loadAll(io.out.text()) as Obj[], err: io.err.text(), code: io.exitCode() };
}

async function file(name: string, text: string): Promise<string> {
  const at = path.join(await trees.make(), name);
  await writeFile(at, text);
  return at;
}

/** A plugin that writes a ConfigMap of the app's name, its env entry GREETING, its revision and the Kubernetes version. */
const generator = [
  'cat <<EOF',
  'apiVersion: v1',
  'kind: ConfigMap',
  'metadata:',
  '  name: $ARGOCD_APP_NAME-generated',
  'data:',
  '  greeting: "$ARGOCD_ENV_GREETING"',
  '  revision: "$ARGOCD_APP_REVISION_SHORT"',
  '  kube: "$KUBE_VERSION"',
  '  files: "$(ls | tr \'\\n\' \' \')"',
  'EOF',
].join('\n');

const capstanConfig = (data: Record<string, string>) => yaml.dump({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'capstan-config', namespace: 'capstan' }, data });

describe('capstan render --plugins', () => {
  it("renders an app's source with the plugin it names, from the ConfigMap's plugins keys, with its env entries and build environment", async () => {
    const repo = await trees.make({ 'app/input.txt': 'x\n' });
    const commit = await commitAll(repo);
    const app = await file('app.yaml', yaml.dump({
      apiVersion: 'capstan.dev/v1alpha1', kind: 'Application', metadata: { name: 'shop' },
      spec: { source: { repoURL: repo, path: 'app', plugin: { name: 'generator', env: [{ name: 'GREETING', value: 'hello from $ARGOCD_APP_NAME' }] } }, destination: { namespace: 'web' } },
    }));
    const config = await file('capstan-config.yaml', capstanConfig({
      'plugins.generator': yaml.dump({ generate: ['sh', '-c', generator] }),
      'resource.customizations.health.example.com_Widget': 'hs = {status = "Healthy"}\nreturn hs\n',
    }));
    const { objects, err, code } = await render(['-f', app, '--plugins', config, '--kube-version', 'v1.31.2']);
    expect(err).toBe('');
    expect(code).toBeUndefined();
    expect(objects).toHaveLength(1);
    expect(objects[0]?.metadata.name).toBe('shop-generated');
    expect(objects[0]?.data).toEqual({ greeting: 'hello from shop', revision: commit.slice(0, 7), kube: '1.31.2', files: 'input.txt ' });

    const without = await render(['-f', app]);
    expect(without.code).toBe(1);
    expect(without.err).toContain('source.plugin.name "generator" is not a plugin of capstan-config');
  });

  it('takes the data map alone, finds a plugin by its discover rule for PATH, and warns of keys it cannot use', async () => {
    const dir = await trees.make({ 'settings.tmpl': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-tmpl\n', 'ignored.yaml': 'not: a manifest\n' });
    const data = await file('plugins.yaml', yaml.dump({
      'plugins.listing': 'generate:\n  command: [sh, -c]\n  args: ["cat *.tmpl"]\ndiscover:\n  fileName: "*.tmpl"\n',
      'plugins.broken': 'generate: []',
    }));
    const { objects, err, code } = await render([dir, '--plugins', data]);
    expect(code).toBeUndefined();
    expect(err).toBe(`warning: ${data}: plugins.broken: generate has no command\n`);
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['ConfigMap/from-tmpl']);
  });

  it('refuses a file that is not a ConfigMap or its data, and a plugin key that is not text', async () => {
    const dir = await trees.make({ 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\n' });
    const secret = await file('secret.yaml', 'apiVersion: v1\nkind: Secret\nmetadata: {name: capstan-config}\n');
    const refused = await render([dir, '--plugins', secret]);
    expect(refused.code).toBe(1);
    expect(refused.err).toBe(`${secret}: is a Secret, not a ConfigMap (capstan-config) nor its data\n`);
    const nested = await file('nested.yaml', 'plugins.x:\n  generate: [sh, -c, "true"]\n');
    expect((await render([dir, '--plugins', nested])).err).toBe(`${nested}: plugins.x must be text: the plugin's YAML, as a string (a block scalar, plugins.x: |)\n`);
    const missing = path.join(dir, 'no-such.yaml');
    expect((await render([dir, '--plugins', missing])).err).toBe(`${missing}: no such file\n`);
    const none = await render([dir, '--plugins', await file('empty.yaml', capstanConfig({}))]);
    expect(none.code).toBeUndefined();
    expect(none.err).toMatch(/: holds no plugins\.<name> keys: no source is rendered by a plugin\n$/);
    expect(none.objects.map((o) => o.metadata.name)).toEqual(['plain']);
  });
});
