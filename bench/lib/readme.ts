// Keeps the README's benchmark table current: the block between the markers in its
// "## Performance" section is replaced by each full run, and nothing else in the file is touched.
import { readFile, writeFile } from 'node:fs/promises';

export const START = '<!-- bench:start -->';
export const END = '<!-- bench:end -->';

/** What the section says when the bench adds it (only when the README has no such section yet). */
const SECTION = `## Performance

\`npm run bench\` starts the real system (API and worker processes, PostgreSQL and Redis, on the
bench's own ports and \`.data/pg-bench\` unless \`DATABASE_URL\` / \`REDIS_URL\` are set), measures
everything below in one run (about 10 minutes), writes \`bench/results/latest.json\` with a dated
copy, and rewrites the table between the markers. \`npm run bench -- --quick\` is a smoke run of a
minute (its results go to \`bench/results/last-quick.json\`, not here); \`--profile\` also CPU-profiles
every process into \`bench/results/profile-summary.md\`; \`--only engine,growth\` runs some phases.

`;

/** Replaces the marked block, adding the section (at the end) when there is none. */
export async function updateReadme(file: string, block: string): Promise<void> {
  const text = await readFile(file, 'utf8');
  const marked = `${START}\n${block.trim()}\n${END}`;
  let next: string;
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start >= 0 && end > start) {
    next = text.slice(0, start) + marked + text.slice(end + END.length);
  } else {
    const section = /^## Performance\s*$/m.exec(text);
    if (section) {
      // at the end of the existing section, before the next heading of its level
      const after = section.index + section[0].length;
      const nextHeading = /^## /m.exec(text.slice(after));
      const at = nextHeading ? after + nextHeading.index : text.length;
      next = `${text.slice(0, at).trimEnd()}\n\n${marked}\n\n${text.slice(at)}`.trimEnd() + '\n';
    } else {
      next = `${text.trimEnd()}\n\n${SECTION}${marked}\n`;
    }
  }
  if (next !== text) await writeFile(file, next);
}
