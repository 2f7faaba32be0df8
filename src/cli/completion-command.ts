/** `ti-check completion bash|zsh|fish`: prints the completion script for that shell on stdout. */
import type { ServiceDefinition } from '../services/types.js';
import { completionScript } from './completion-scripts.js';
import { completionSpec, type Shell } from './completion-spec.js';
import { EXIT } from './exit-codes.js';
import type { CliIo } from './io.js';

export async function runCompletion(
  args: { shell: Shell },
  io: CliIo,
  registry: readonly ServiceDefinition[],
): Promise<number> {
  io.stdout.write(completionScript(args.shell, completionSpec(registry)));
  return EXIT.ok;
}
