// One app's detail, kept current: the app from its stream at once, the resource tree fetched
// again after each change of the app or of the live objects it owns (the stream's `tree`
// events), at most once a second.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { Application } from '../../../api/application.js';
import type { AppDetail, AppEvent, TreeNode } from '../../api-types.js';
import { api, messageOf } from './api.js';
import { useEventStream, type StreamState } from './sse.js';
import { asAppEvent } from './stream-events.js';

export interface AppDetailState {
  readonly app?: Application;
  readonly tree: readonly TreeNode[];
  readonly treeNote?: string;
  readonly error?: string;
  readonly deleted: boolean;
  readonly stream: StreamState;
  /** Fetch the detail again now (after an action). */
  readonly reload: () => void;
}

const treeRefreshMs = 1000;

export function useAppDetail(namespace: string, name: string): AppDetailState {
  const [app, setApp] = useState<Application | undefined>(undefined);
  const [detail, setDetail] = useState<AppDetail | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [deleted, setDeleted] = useState(false);
  const lastFetch = useRef(0);
  const pending = useRef<number | undefined>(undefined);
  const generation = useRef(0);

  const fetchDetail = useCallback(() => {
    const mine = generation.current;
    lastFetch.current = Date.now();
    api
      .app(namespace, name)
      .then((answer) => {
        if (mine !== generation.current) return;
        setDetail(answer);
        setApp(answer.app);
        setError(undefined);
      })
      .catch((cause: unknown) => {
        if (mine === generation.current) setError(messageOf(cause));
      });
  }, [namespace, name]);

  const scheduleFetch = useCallback(() => {
    if (pending.current !== undefined) return;
    const wait = Math.max(0, lastFetch.current + treeRefreshMs - Date.now());
    pending.current = window.setTimeout(() => {
      pending.current = undefined;
      fetchDetail();
    }, wait);
  }, [fetchDetail]);

  useEffect(() => {
    generation.current++;
    setApp(undefined);
    setDetail(undefined);
    setError(undefined);
    setDeleted(false);
    fetchDetail();
    return () => {
      generation.current++;
      window.clearTimeout(pending.current);
      pending.current = undefined;
    };
  }, [fetchDetail]);

  const onEvent = useCallback(
    (event: AppEvent) => {
      if (event.type === 'app') {
        setApp(event.app);
        setDeleted(false);
        scheduleFetch();
      } else if (event.type === 'tree') {
        scheduleFetch();
      } else if (event.type === 'delete') {
        setDeleted(true);
      } else {
        setError(event.message);
      }
    },
    [scheduleFetch],
  );
  const stream = useEventStream(api.appStreamUrl(namespace, name), asAppEvent, onEvent);

  return { app, tree: detail?.tree ?? [], treeNote: detail?.treeNote, error, deleted, stream, reload: fetchDetail };
}
