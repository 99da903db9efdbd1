/**
 * Live progress on stderr while a scenario runs. On a terminal one status line is rewritten in
 * place; otherwise (CI logs) a status line is printed at most every 5 seconds.
 */

const interactive = process.stderr.isTTY === true;
let lastPrinted = 0;
let lineOpen = false;

/** Replaces the status line with `message`, prefixed by the scenario name. */
export function progress(scenario: string, message: string): void {
  const text = `[${scenario}] ${message}`;
  if (interactive) {
    process.stderr.write(`\r\x1b[2K${text}`);
    lineOpen = true;
    return;
  }
  const now = Date.now();
  if (now - lastPrinted < 5000) return;
  lastPrinted = now;
  process.stderr.write(`${text}\n`);
}

/** Prints `message` on its own line, closing any open status line first. */
export function announce(message: string): void {
  if (lineOpen) process.stderr.write('\n');
  lineOpen = false;
  lastPrinted = 0;
  process.stderr.write(`${message}\n`);
}
