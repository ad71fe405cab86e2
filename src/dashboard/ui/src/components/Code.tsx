// A block of highlighted code.
import { useMemo } from 'preact/hooks';
import { highlightHtml, type CodeLanguage } from '../highlight.js';

interface CodeProps {
  readonly code: string;
  readonly language: CodeLanguage;
  readonly testId?: string;
}

export function Code({ code, language, testId }: CodeProps) {
  const html = useMemo(() => highlightHtml(code, language), [code, language]);
  return (
    <pre class={`code hljs language-${language}`} data-testid={testId}>
      <code dangerouslySetInnerHTML={{ __html: html }} />
    </pre>
  );
}
