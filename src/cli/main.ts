/** Dispatches the command line to `serve`, `record` or `replay`. */
import { helpText } from '../config/load.ts';
import { SERVICE_VERSION } from '../version.ts';
import { stdout, stderr } from '../runtime/index.ts';
import { serve } from './serve.ts';

export async function main(args: string[]): Promise<number> {
  const [command = 'serve', ...rest] = args[0]?.startsWith('-') ? ['serve', ...args] : args;

  if (rest.includes('--version')) {
    stdout(`skypulse ${SERVICE_VERSION}\n`);
    return 0;
  }
  switch (command) {
    case 'serve': {
      if (rest.includes('--help') || rest.includes('-h')) {
        stdout(helpText());
        return 0;
      }
      // serve is configured only by environment variables. Starting anyway on a mistyped
      // option would connect to the default public endpoints.
      const [unexpected] = rest;
      if (unexpected !== undefined) {
        stderr(`skypulse: unknown option ${JSON.stringify(unexpected)} for serve. serve takes no options and reads its settings from environment variables, which --help lists.\n`);
        return 2;
      }
      return serve();
    }
    case 'record':
      return (await import('./record.ts')).record(rest);
    case 'replay':
      return (await import('./replay.ts')).replay(rest);
    case 'help':
      stdout(helpText());
      return 0;
    default:
      stderr(`skypulse: unknown command ${JSON.stringify(command)}; expected serve, record or replay.\n${helpText()}`);
      return 2;
  }
}
