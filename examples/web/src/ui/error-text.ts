/**
 * An error as the page shows it: its class name, so the library's typed errors are recognisable (`ModelFormatError`,
 * `IdxFormatError`, `NonFiniteLossError`), then its message, which names what was expected and what was found.
 */
export function errorText(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/** Shows `text` in an alert region (announced by screen readers), or clears it with `undefined`. */
export function showAlert(element: HTMLElement, text: string | undefined): void {
  element.textContent = text ?? '';
  element.hidden = text === undefined;
}
