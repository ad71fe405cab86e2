/**
 * The record of what an app was told, kept on the Application in annotation `capstan.dev/notified`
 * (JSON: slot → outcome, see once.ts) so that a restarted controller does not tell it again. The
 * controller is its only writer. Anything unreadable in it reads as nothing notified: at worst one
 * notification is sent again.
 */

export const notifiedAnnotation = 'capstan.dev/notified';

/** More slots than this are not kept (a record is one slot per subscribed trigger condition and recipient). */
export const maxRecordedSlots = 500;
const maxValueLength = 1024;

export type NotifiedRecord = ReadonlyMap<string, string>;

export function parseNotifiedRecord(text: string | undefined): Map<string, string> {
  const record = new Map<string, string>();
  if (text === undefined || text === '') return record;
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return record;
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return record;
  for (const [slot, outcome] of Object.entries(doc)) {
    if (record.size >= maxRecordedSlots) break;
    if (typeof outcome === 'string' && outcome.length <= maxValueLength) record.set(slot, outcome);
  }
  return record;
}

/** The annotation's value (slots sorted, so equal records read the same), or undefined for none. */
export function formatNotifiedRecord(record: NotifiedRecord): string | undefined {
  if (record.size === 0) return undefined;
  const entries = [...record.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).slice(0, maxRecordedSlots);
  return JSON.stringify(Object.fromEntries(entries.map(([slot, outcome]) => [slot, outcome.slice(0, maxValueLength)])));
}
