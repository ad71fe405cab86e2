// The Kubernetes events of one object.
import type { EventSummary } from '../../../api-types.js';

export function EventsTable({ events }: { readonly events: readonly EventSummary[] }) {
  if (events.length === 0) return <div class="empty" data-testid="resource-events">no events</div>;
  return (
    <table class="small-table events" data-testid="resource-events">
      <thead>
        <tr>
          <th>Type</th>
          <th>Reason</th>
          <th>Message</th>
          <th>Count</th>
          <th>Last seen</th>
        </tr>
      </thead>
      <tbody>
        {events.map((event, index) => (
          <tr key={`${event.reason}-${index}`} class={event.type === 'Warning' ? 'warning' : ''}>
            <td>{event.type}</td>
            <td>{event.reason}</td>
            <td>{event.message}</td>
            <td>{event.count}</td>
            <td class="small mono">{event.lastSeen ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
