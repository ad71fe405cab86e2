// The Diff view: every object that differs between the cluster and Git, unified or side by side.
import { useEffect, useState } from 'preact/hooks';
import type { AppDiff } from '../../../api-types.js';
import { api, messageOf } from '../api.js';
import { Breadcrumb } from '../components/Breadcrumb.js';
import { ObjectDiffBlock, type DiffMode } from '../components/ObjectDiffBlock.js';

const modeKey = 'capstan.diffMode';

function savedMode(): DiffMode {
  try {
    return window.localStorage.getItem(modeKey) === 'split' ? 'split' : 'unified';
  } catch {
    return 'unified';
  }
}

export function DiffView({ namespace, name }: { readonly namespace: string; readonly name: string }) {
  const [diff, setDiff] = useState<AppDiff | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [mode, setMode] = useState<DiffMode>(savedMode);
  useEffect(() => {
    let current = true;
    setDiff(undefined);
    setError(undefined);
    api
      .diff(namespace, name)
      .then((answer) => {
        if (current) setDiff(answer);
      })
      .catch((cause: unknown) => {
        if (current) setError(messageOf(cause));
      });
    return () => {
      current = false;
    };
  }, [namespace, name]);
  const choose = (next: DiffMode): void => {
    setMode(next);
    try {
      window.localStorage.setItem(modeKey, next);
    } catch {
      // Storage may be unavailable (private mode): the choice then lasts for this page only.
    }
  };
  return (
    <section class="page" data-testid="diff-view">
      <Breadcrumb namespace={namespace} name={name} leaf="Diff" />
      <div class="page-title">
        <h1>Diff</h1>
        <span class="muted">cluster (−) against Git (+)</span>
        <div class="toggle" role="group" aria-label="Diff layout">
          <button type="button" class={mode === 'unified' ? 'active' : ''} aria-pressed={mode === 'unified'} data-testid="diff-mode-unified" onClick={() => { choose('unified'); }}>
            Unified
          </button>
          <button type="button" class={mode === 'split' ? 'active' : ''} aria-pressed={mode === 'split'} data-testid="diff-mode-split" onClick={() => { choose('split'); }}>
            Side by side
          </button>
        </div>
      </div>
      {error === undefined ? null : <div class="error-box">{error}</div>}
      {diff === undefined ? error === undefined ? <div class="empty">Loading…</div> : null : (
        <>
          {diff.objects.length === 0 ? <div class="card empty in-sync" data-testid="no-differences">No differences</div> : null}
          {diff.objects.map((object) => (
            <ObjectDiffBlock key={`${object.group}/${object.kind}/${object.namespace ?? ''}/${object.name}`} object={object} mode={mode} />
          ))}
          {diff.shared.length === 0 ? null : (
            <div class="card notes" data-testid="shared-notes">
              <h2>Left alone</h2>
              <ul>
                {diff.shared.map((note) => (
                  <li key={note}>{note}</li>
                ))}
              </ul>
            </div>
          )}
        </>
      )}
    </section>
  );
}
