import { describe, expect, it } from '@jest/globals';
import type { Application, HistoryEntry } from '../../api/application.js';
import { captureIO } from '../output/testing/capture.js';
import { printHistory } from './get.js';

const withHistory = (history: HistoryEntry[]): Application => ({
  apiVersion: 'capstan.dev/v1alpha1', kind: 'Application',
  metadata: { name: 'web', namespace: 'capstan' },
  spec: { source: { repoURL: 'https://git.example.com/org/web.git' }, destination: { namespace: 'web' } },
  status: { history },
});
const automated: HistoryEntry = { id: 1, revision: 'a'.repeat(40), deployedAt: '2026-12-01T00:00:00Z', initiatedBy: 'automated' };
const approved: HistoryEntry = {
  id: 2, revision: 'b'.repeat(40), deployedAt: '2026-12-02T00:00:00Z', initiatedBy: 'approved by alice (plan 0123abcd)', approvedBy: 'alice', planHash: '0123abcd',
};

describe('capstan app history', () => {
  it('shows who approved which plan in columns of their own once an entry was an approved plan', () => {
    const io = captureIO();
    printHistory(withHistory([automated, approved]), { output: 'table', color: 'never' }, io);
    const [header, newest, oldest] = io.out.text().split('\n');
    expect(header).toMatch(/APPROVED BY\s+PLAN\s*$/);
    expect(newest).toMatch(/alice\s+0123abcd\s*$/);
    expect(oldest).toMatch(/automated\s+<none>\s+<none>\s*$/);
  });

  it('leaves the columns out when no entry was approved, and keeps the fields in JSON', () => {
    const plain = captureIO();
    printHistory(withHistory([automated]), { output: 'table', color: 'never' }, plain);
    expect(plain.out.text()).not.toContain('APPROVED BY');
    const json = captureIO();
    printHistory(withHistory([automated, approved]), { output: 'json', color: 'never' }, json);
    expect((JSON.parse(json.out.text()) as HistoryEntry[])[1]).toMatchObject({ approvedBy: 'alice', planHash: '0123abcd' });
  });
});
