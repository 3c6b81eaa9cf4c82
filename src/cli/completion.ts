// `lurescan completion bash|zsh|fish`: a shell completion script written from the commands and
// options commander knows, so it never falls behind them.
import type { Command, Option } from 'commander';
import { LurescanError } from '../types.js';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;

interface Entry {
  /** `scan`, or `rules lint`. */
  path: string[];
  options: Option[];
  subcommands: string[];
}

function entries(command: Command, path: string[] = []): Entry[] {
  const visible = command.commands.filter((c) => c.name() !== 'help' && c.name() !== 'completion');
  const here: Entry = { path, options: command.options.filter((o) => !o.hidden), subcommands: visible.map((c) => c.name()) };
  return [here, ...visible.flatMap((c) => entries(c, [...path, c.name()]))];
}

const flagsOf = (options: Option[]): string[] => options.flatMap((o) => [o.long, o.short].filter((f): f is string => f !== undefined));

function bash(program: Command): string {
  const cases = entries(program)
    .map((entry) => {
      const words = [...entry.subcommands, ...flagsOf(entry.options), '--help'].join(' ');
      const values = entry.options
        .filter((o) => o.argChoices && o.argChoices.length > 0)
        .map((o) => `      ${[o.long, o.short].filter(Boolean).join('|')}) COMPREPLY=($(compgen -W "${o.argChoices!.join(' ')}" -- "$cur")); return ;;`)
        .join('\n');
      return `    "${entry.path.join(' ')}")\n${values ? `      case "$prev" in\n${values.replace(/^ {6}/gm, '        ')}\n      esac\n` : ''}      words="${words}" ;;`;
    })
    .join('\n');
  return `# lurescan completion for bash: eval "$(lurescan completion bash)", or save it in
# ~/.local/share/bash-completion/completions/lurescan
_lurescan() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" path="" words="" i
  # The command path: the words before the cursor that are commands, not options or their values.
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "\${COMP_WORDS[i]}" in
      -*) ;;
      *) case " $(_lurescan_subcommands "$path") " in *" \${COMP_WORDS[i]} "*) path="\${path:+$path }\${COMP_WORDS[i]}" ;; esac ;;
    esac
  done
  case "$path" in
${cases}
  esac
  if [[ "$cur" == -* || -n "$words" && "$cur" != */* ]]; then
    COMPREPLY=($(compgen -W "$words" -- "$cur"))
  fi
}
_lurescan_subcommands() {
  case "$1" in
${entries(program)
  .map((entry) => `    "${entry.path.join(' ')}") echo "${entry.subcommands.join(' ')}" ;;`)
  .join('\n')}
  esac
}
complete -o default -o bashdefault -F _lurescan lurescan
`;
}

function zsh(program: Command): string {
  return `# lurescan completion for zsh: eval "$(lurescan completion zsh)" in ~/.zshrc
autoload -U +X bashcompinit && bashcompinit
${bash(program).split('\n').slice(2).join('\n')}`;
}

function fish(program: Command): string {
  const lines = ['# lurescan completion for fish: lurescan completion fish > ~/.config/fish/completions/lurescan.fish', 'complete -c lurescan -f'];
  for (const entry of entries(program)) {
    const condition =
      entry.path.length === 0
        ? '__fish_use_subcommand'
        : entry.path.length === 1
          ? `__fish_seen_subcommand_from ${entry.path[0]}; and not __fish_seen_subcommand_from ${entry.subcommands.join(' ') || '__none__'}`
          : `__fish_seen_subcommand_from ${entry.path.at(-1)}`;
    for (const sub of entry.subcommands) lines.push(`complete -c lurescan -n '${condition}' -a ${sub}`);
    for (const option of entry.options) {
      const flag = [option.long ? `-l ${option.long.slice(2)}` : '', option.short ? `-s ${option.short.slice(1)}` : ''].filter(Boolean).join(' ');
      const value = option.argChoices ? ` -xa '${option.argChoices.join(' ')}'` : option.required || option.optional ? ' -r -F' : '';
      lines.push(`complete -c lurescan -n '${condition}' ${flag}${value} -d ${JSON.stringify(option.description.slice(0, 60))}`);
    }
    if (entry.path.length > 0 && entry.subcommands.length === 0) lines.push(`complete -c lurescan -n '${condition}' -F`);
  }
  return `${lines.join('\n')}\n`;
}

export function completionScript(program: Command, shell: string): string {
  if (shell === 'bash') return bash(program);
  if (shell === 'zsh') return zsh(program);
  if (shell === 'fish') return fish(program);
  throw new LurescanError('USAGE', `completion: shell must be one of ${SHELLS.join(', ')} (got \`${shell}\`)`);
}
