// The side panel of one object of the tree: its live manifest, its diff against Git, its events.
import { useEffect, useState } from 'preact/hooks';
import type { ResourceDetail, TreeNode } from '../../../api-types.js';
import { api, messageOf } from '../api.js';
import { resourceQuery } from '../tree-nodes.js';
import { toYaml } from '../yaml.js';
import { Code } from './Code.js';
import { EventsTable } from './EventsTable.js';
import { KindIcon } from './KindIcon.js';

type Tab = 'manifest' | 'diff' | 'events';

const tabs: readonly (readonly [Tab, string])[] = [
  ['manifest', 'Manifest'],
  ['diff', 'Diff'],
  ['events', 'Events'],
];

interface ResourcePanelProps {
  readonly appNamespace: string;
  readonly appName: string;
  readonly node: TreeNode;
  readonly onClose: () => void;
}

export function ResourcePanel({ appNamespace, appName, node, onClose }: ResourcePanelProps) {
  const [tab, setTab] = useState<Tab>('manifest');
  const [detail, setDetail] = useState<ResourceDetail | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const query = resourceQuery(node);
  useEffect(() => {
    let current = true;
    setDetail(undefined);
    setError(undefined);
    api
      .resource(appNamespace, appName, query)
      .then((answer) => {
        if (current) setDetail(answer);
      })
      .catch((cause: unknown) => {
        if (current) setError(messageOf(cause));
      });
    return () => {
      current = false;
    };
  }, [appNamespace, appName, query]);
  return (
    <aside class="resource-panel" data-testid="resource-panel">
      <header class="panel-header">
        <KindIcon kind={node.kind} />
        <div class="panel-title">
          <strong>{node.name}</strong>
          <span class="muted small">
            {node.kind}
            {node.namespace === undefined || node.namespace === '' ? '' : ` · ${node.namespace}`}
          </span>
        </div>
        <button type="button" class="icon-button" aria-label="Close" data-testid="close-panel" onClick={onClose}>
          ×
        </button>
      </header>
      <nav class="tabs">
        {tabs.map(([id, label]) => (
          <button
            key={id}
            type="button"
            class={id === tab ? 'tab active' : 'tab'}
            data-testid={`tab-${id}`}
            onClick={() => {
              setTab(id);
            }}
          >
            {label}
          </button>
        ))}
      </nav>
      <div class="panel-body">{error === undefined ? detail === undefined ? <div class="empty">Loading…</div> : <TabContent tab={tab} detail={detail} /> : <div class="error-box">{error}</div>}</div>
    </aside>
  );
}

function TabContent({ tab, detail }: { readonly tab: Tab; readonly detail: ResourceDetail }) {
  switch (tab) {
    case 'manifest':
      return detail.manifest === null ? (
        <div class="empty" data-testid="resource-manifest">
          The object does not exist in the cluster.
        </div>
      ) : (
        <Code code={toYaml(detail.manifest)} language="yaml" testId="resource-manifest" />
      );
    case 'diff':
      if (detail.diff === undefined) return <div class="empty" data-testid="resource-diff">not from Git</div>;
      if (detail.diff === '') return <div class="empty in-sync" data-testid="resource-diff">in sync</div>;
      return <Code code={detail.diff} language="diff" testId="resource-diff" />;
    case 'events':
      return <EventsTable events={detail.events} />;
  }
}
