import { describe, expect, it } from '@jest/globals';
import type { Application } from '../../api/application.js';
import { captureIO } from '../output/testing/capture.js';
import type { AppClient } from './client.js';
import { printApp } from './get.js';
import { listApps } from './list.js';

const repoURL = 'https://robot:glpat-SPEC-TOKEN@git.example.com/org/web.git?private_token=glpat-QUERY-TOKEN';
const app: Application = {
  apiVersion: 'capstan.dev/v1alpha1', kind: 'Application',
  metadata: {
    name: 'web', namespace: 'capstan', creationTimestamp: '2026-12-01T00:00:00Z',
    annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({ spec: { source: { repoURL } } }) },
  },
  spec: { source: { repoURL, path: 'app' }, destination: { namespace: 'web' } },
};
const client = { list: () => Promise.resolve([app]) } as unknown as AppClient;

describe('capstan app get and list', () => {
  it('print the repository URL without its credentials, in every output format', async () => {
    for (const output of ['table', 'json', 'yaml'] as const) {
      const io = captureIO();
      printApp(app, { output, color: 'never' }, io);
      const text = io.out.text();
      expect(text).toContain('git.example.com/org/web.git?private_token=redacted');
      expect(text).not.toMatch(/SPEC-TOKEN|QUERY-TOKEN|robot/);
    }
    for (const output of ['table', 'wide', 'json', 'yaml'] as const) {
      const io = captureIO();
      await listApps(client, 'capstan', { output, color: 'never' }, io);
      const text = io.out.text();
      expect(text).toContain('https://git.example.com/org/web.git');
      expect(text).not.toMatch(/SPEC-TOKEN|QUERY-TOKEN|robot/);
    }
    // The object itself is left alone.
    expect(app.spec.source?.repoURL).toBe(repoURL);
  });
});
