// A connection URL fit for a log line or an error: its password replaced by ***.

/** `url` without its password; `variable` names it when it is not a URL at all (without repeating what may be a secret). */
export function redactUrl(url: string, variable: string): string {
  if (!URL.canParse(url)) return `(${variable}, which is not a URL)`;
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}
