/**
 * Terraform reads every JSON string as a template: `${...}` and `%{...}` in a literal script
 * would be evaluated. Doubling the introducer keeps the text literal. (Function replacements:
 * in a replacement *string*, "$$" would itself collapse to "$".)
 */
export function terraformLiteral(text: string): string {
  return text.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}
