import { shellCommand } from './shell-quote';
import { terraformLiteral } from './terraform-literal';

/**
 * A shell command, as Terraform text, that writes a file from a quoted heredoc: nothing in the
 * body expands on the host, so the file holds exactly `body` once Terraform has evaluated its
 * expressions. `body` is Terraform text ending in a newline; no line of it may be `end` (checked
 * here, at synth).
 */
export function heredocWrite(path: string, body: string, end: string): string {
  if (!/^[A-Z][A-Z0-9_]*$/.test(end)) throw new Error(`not a heredoc delimiter: ${end}`);
  if (!body.endsWith('\n')) throw new Error(`the text for ${path} must end with a newline to travel in a heredoc`);
  if (body.split('\n').includes(end)) throw new Error(`the text for ${path} holds the line ${end}, which would end its heredoc early`);
  return `${terraformLiteral(`cat >${shellCommand([path])} <<'${end}'`)}\n${body}${end}`;
}
