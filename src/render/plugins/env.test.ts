import { describe, expect, it } from '@jest/globals';
import { parameterEnvironment, parametersJson, pluginEnvironment } from './env.js';

const buildEnv = {
  ARGOCD_APP_NAME: 'guestbook', ARGOCD_APP_NAMESPACE: 'web', ARGOCD_APP_REVISION: '0123456789abcdef', ARGOCD_APP_REVISION_SHORT: '0123456',
  ARGOCD_APP_SOURCE_REPO_URL: 'https://git.example/repo.git', ARGOCD_APP_SOURCE_PATH: 'apps/guestbook', ARGOCD_APP_SOURCE_TARGET_REVISION: 'main',
};

describe('pluginEnvironment', () => {
  it('gives a discovered plugin the build environment and the cluster version only', () => {
    expect(pluginEnvironment({ buildEnv, kubeVersion: 'v1.35.0', apiVersions: ['apps/v1', 'v1'] })).toEqual({ ...buildEnv, KUBE_VERSION: '1.35.0', KUBE_API_VERSIONS: 'apps/v1,v1' });
  });

  it('prefixes the env entries of source.plugin with ARGOCD_ENV_, expanding $NAME from the build environment', () => {
    const env = pluginEnvironment({
      buildEnv, kubeVersion: 'v1.35.0',
      plugin: { env: [{ name: 'FOO', value: 'bar' }, { name: 'REV', value: 'test-$ARGOCD_APP_REVISION_SHORT' }, { name: 'KUBE', value: '${KUBE_VERSION}' }, { name: 'DOLLAR', value: '$$HOME $UNSET.' }, { name: 'PATH', value: '/evil' }] },
    });
    expect(env).toMatchObject({ ARGOCD_ENV_FOO: 'bar', ARGOCD_ENV_REV: 'test-0123456', ARGOCD_ENV_KUBE: '1.35.0', ARGOCD_ENV_DOLLAR: '$HOME .', ARGOCD_ENV_PATH: '/evil' });
    expect(env.PATH).toBeUndefined();
    expect(env.ARGOCD_APP_PARAMETERS).toBe('null');
  });

  it('gives an env entry the build environment, never an earlier entry', () => {
    const env = pluginEnvironment({ buildEnv, plugin: { env: [{ name: 'A', value: 'a' }, { name: 'B', value: '$ARGOCD_ENV_A-$A' }] } });
    expect(env.ARGOCD_ENV_B).toBe('-');
  });
});

describe('parameterEnvironment', () => {
  it('gives the parameters as JSON and as PARAM_ variables, as Argo CD does', () => {
    const env = parameterEnvironment([
      { name: 'some-string-param', string: 'some-string-value' },
      { name: 'values-files', array: ['values-dev.yaml', 'values-eu.yaml'] },
      { name: 'helm-parameters', map: { 'image.tag': 'v1.2.3', replicas: '2' } },
    ]);
    expect(env).toEqual({
      ARGOCD_APP_PARAMETERS: '[{"name":"some-string-param","string":"some-string-value"},{"array":["values-dev.yaml","values-eu.yaml"],"name":"values-files"},{"map":{"image.tag":"v1.2.3","replicas":"2"},"name":"helm-parameters"}]',
      PARAM_SOME_STRING_PARAM: 'some-string-value',
      PARAM_VALUES_FILES_0: 'values-dev.yaml',
      PARAM_VALUES_FILES_1: 'values-eu.yaml',
      PARAM_HELM_PARAMETERS_IMAGE_TAG: 'v1.2.3',
      PARAM_HELM_PARAMETERS_REPLICAS: '2',
    });
  });

  it('writes the JSON as Go does: keys in byte order, <, > and & escaped, empty lists and maps kept', () => {
    expect(parametersJson([{ name: 'a<b', string: 'x&y', map: { z: '1', a: '2' }, array: [] }, { name: 'm', map: {} }])).toBe(
      '[{"array":[],"map":{"a":"2","z":"1"},"name":"a\\u003cb","string":"x\\u0026y"},{"map":{},"name":"m"}]',
    );
    expect(JSON.parse(parametersJson([{ name: 'a<b>', string: '&' }]))).toEqual([{ name: 'a<b>', string: '&' }]);
    expect(parametersJson([])).toBe('[]');
    expect(parametersJson(undefined)).toBe('null');
  });
});
