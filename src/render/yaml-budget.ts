import type yaml from 'js-yaml';
import { COLLECTION_COST, scalarCost } from './cost.js';
import { ReadFailure, type LoaderState } from './yaml-nodes.js';

/**
 * Counts what js-yaml builds while it reads a file, node by node as it closes them (cost.ts),
 * and stops the read once that passes the budget: a file of many tiny nodes (`[[],[],…]`) is
 * refused before it has filled the memory, not after. An alias adds nothing here (it shares its
 * anchor's node); it is counted where it is expanded (json-value.ts).
 */
export class NodeBudget {
  bytes = 0;

  constructor(private readonly maxBytes: number) {}

  /** Counts `bytes` more (entries merge keys copied, say). */
  readonly charge = (bytes: number): void => {
    this.bytes += bytes;
    if (this.bytes > this.maxBytes) throw new BudgetSpent(`takes more than ${this.maxBytes} bytes once read`, undefined, true);
  };

  readonly listener = (event: yaml.EventType, state: yaml.State): void => {
    if (event !== 'close') return;
    const loader = state as LoaderState;
    if (loader.kind === null && loader.tag === null) return;
    const value: unknown = loader.result;
    if (typeof value === 'object' && value !== null) this.charge(COLLECTION_COST);
    else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value === null) this.charge(scalarCost(value));
  };
}

/** The read passed the budget: nothing is left of it for what comes after. */
export class BudgetSpent extends ReadFailure {}
