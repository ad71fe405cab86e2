// The actions the Application view offers, and the POST each one sends.
import type { ActionResult } from '../../api-types.js';
import { api } from './api.js';

export type AppAction =
  | { readonly kind: 'sync' }
  | { readonly kind: 'refresh' }
  | { readonly kind: 'hard-refresh' }
  | { readonly kind: 'terminate' }
  | { readonly kind: 'rollback'; readonly id: number; readonly revision: string };

export interface SyncOptions {
  readonly prune: boolean;
  readonly dryRun: boolean;
}

export function runAction(namespace: string, name: string, action: AppAction, sync: SyncOptions): Promise<ActionResult> {
  switch (action.kind) {
    case 'sync':
      return api.sync(namespace, name, sync);
    case 'refresh':
      return api.refresh(namespace, name, false);
    case 'hard-refresh':
      return api.refresh(namespace, name, true);
    case 'terminate':
      return api.terminate(namespace, name);
    case 'rollback':
      return api.rollback(namespace, name, action.id);
  }
}
