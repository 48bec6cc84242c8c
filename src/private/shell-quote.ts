/**
 * The one quoting helper: every value that reaches a generated shell script goes through it.
 * Single quotes make the shell take the text literally; an embedded single quote is closed,
 * escaped and reopened. Validation already rejects metacharacters; this is the second wall.
 */
export function shellQuote(value: string): string {
  if (value.includes('\0')) throw new Error('a NUL byte cannot be passed to a shell');
  // Words made only of these characters mean the same to the shell quoted or not; leaving them
  // bare keeps generated scripts readable.
  if (/^[A-Za-z0-9_./:,+@%=-]+$/.test(value) && !value.startsWith('=')) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** `NAME='value'`: a script parameter. */
export function shellAssign(name: string, value: string | number): string {
  if (!/^[A-Z_][A-Z0-9_]*$/.test(name)) throw new Error(`not a shell variable name: ${name}`);
  return `${name}=${shellQuote(String(value))}`;
}

/** A command line from an argument vector, each argument quoted. */
export function shellCommand(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}
