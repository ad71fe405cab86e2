import { describe, expect, it } from '@jest/globals';
import type { KubeObject } from '../../api/object.js';
import { KubeApiError } from '../../cluster/errors.js';
import { captureIO } from '../output/testing/capture.js';
import { livePlugins, type ConfigMapReader } from './live-plugins.js';

function reader(answer: () => Promise<KubeObject | undefined>, asked: string[] = []): ConfigMapReader {
  return {
    get: (apiVersion, kind, namespace, name) => {
      asked.push(`${apiVersion} ${kind} ${namespace}/${name}`);
      return answer();
    },
  };
}

const configMap = (data: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'capstan-config', namespace: 'capstan' }, data });

describe('livePlugins', () => {
  it("reads the plugins of capstan-config in the controller's namespace, and warns of keys that cannot be used", async () => {
    const io = captureIO();
    const asked: string[] = [];
    const plugins = await livePlugins(reader(() => Promise.resolve(configMap({
      'plugins.gen': 'generate: [sh, -c, "cat *.tmpl"]\ndiscover:\n  fileName: "*.tmpl"\n',
      'plugins.broken': 'generate: []',
      'resource.customizations.health.apps_Deployment': 'return {}',
    })), asked), 'capstan', io);
    expect(asked).toEqual(['v1 ConfigMap capstan/capstan-config']);
    expect(plugins.names).toEqual(['gen']);
    expect(plugins.get('gen')).toEqual({ generate: ['sh', '-c', 'cat *.tmpl'], discover: { fileName: '*.tmpl' } });
    expect(plugins.refusal('broken')).toBe('generate has no command');
    expect(io.err.text()).toBe('capstan: warning: ConfigMap capstan/capstan-config: plugins.broken: generate has no command\n');
  });

  it('means no plugins, said in one line, when there is no ConfigMap or no right to read it', async () => {
    const missing = captureIO();
    expect((await livePlugins(reader(() => Promise.resolve(undefined)), 'ops', missing)).size).toBe(0);
    expect(missing.err.text()).toBe('capstan: no ConfigMap ops/capstan-config: rendering without config management plugins\n');
    const forbidden = captureIO();
    const denied = () => Promise.reject(new KubeApiError(403, 'Forbidden', 'configmaps "capstan-config" is forbidden'));
    expect((await livePlugins(reader(denied), 'ops', forbidden)).size).toBe(0);
    expect(forbidden.err.text()).toBe('capstan: cannot read ConfigMap ops/capstan-config (forbidden): rendering without config management plugins\n');
  });

  it('throws other failures', async () => {
    const failing = () => Promise.reject(new KubeApiError(500, 'InternalError', 'etcd is unavailable'));
    await expect(livePlugins(reader(failing), 'ops', captureIO())).rejects.toThrow('etcd is unavailable');
  });
});
