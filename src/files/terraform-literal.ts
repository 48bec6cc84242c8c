/**
 * Terraform reads every JSON string as a template: `${...}` and `%{...}` in a literal script
 * would be evaluated. Doubling the introducer keeps the text literal.
 */
export function terraformLiteral(text: string): string {
  return text.replace(/\$\{/g, '$${').replace(/%\{/g, '%%{');
}
