/** Entry point: `node dist/server.js`, `deno task start`. Kept free of logic so tests import `main`. */
import { main } from './cli/main.ts';
import { commandArguments, exitProcess } from './runtime/index.ts';

exitProcess(await main(commandArguments()));
