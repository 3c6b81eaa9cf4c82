// `lurescan completion <shell>`: the shell completion script, written from the program's own definitions.
import { Argument, type Command } from 'commander';
import { completionScript, SHELLS } from '../completion.js';
import type { CliIO } from '../io.js';

export function completionCommand(program: Command, io: CliIO): void {
  program
    .command('completion')
    .description('print a shell completion script: eval "$(lurescan completion bash)" (bash, zsh), or save the fish one in ~/.config/fish/completions')
    .addArgument(new Argument('<shell>', 'the shell').choices(SHELLS))
    .action((shell: string) => {
      io.stdout.write(completionScript(program, shell));
    });
}
