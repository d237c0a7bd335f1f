// The README's Configuration section sends readers to .env.example: every variable it lists must
// be there, set to its default or commented out.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');

/** The variables named in the first column of the README's Configuration table. */
function readmeVariables(): string[] {
  const section = readme.split('\n## Configuration\n')[1]!.split('\n## ')[0]!;
  const rows = section.split('\n').filter((line) => line.startsWith('| `'));
  return rows.flatMap((row) => [...row.split('|')[1]!.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((match) => match[1]!));
}

describe('.env.example', () => {
  it('names every variable of the README’s Configuration table', () => {
    const variables = readmeVariables();
    expect(variables.length).toBeGreaterThan(30);
    const present = new Set([...example.matchAll(/^#? ?([A-Z][A-Z0-9_]+)=/gm)].map((match) => match[1]!));
    expect(variables.filter((name) => !present.has(name))).toEqual([]);
  });
});
