// A sync or health status as a coloured pill; the text is exactly the status.

interface BadgeProps {
  readonly status: string | undefined;
  readonly testId?: string;
  readonly title?: string | undefined;
}

export function Badge({ status, testId, title }: BadgeProps) {
  const text = status === undefined || status === '' ? 'Unknown' : status;
  return (
    <span class={`badge status-${text.toLowerCase()}`} data-testid={testId} title={title}>
      {text}
    </span>
  );
}
