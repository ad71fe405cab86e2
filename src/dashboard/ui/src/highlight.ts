// Syntax highlighting with highlight.js core and only the two languages the dashboard shows.
import hljs from 'highlight.js/lib/core';
import diff from 'highlight.js/lib/languages/diff';
import yaml from 'highlight.js/lib/languages/yaml';

hljs.registerLanguage('yaml', yaml);
hljs.registerLanguage('diff', diff);

export type CodeLanguage = 'yaml' | 'diff';

/** HTML of the highlighted code (highlight.js escapes the text). */
export function highlightHtml(code: string, language: CodeLanguage): string {
  return hljs.highlight(code, { language, ignoreIllegals: true }).value;
}
