/**
 * `yangguang completion bash`: a completion script built from the command tree itself, so it never drifts from the
 * commands; nothing to install (source it from ~/.bashrc).
 */
import type { Command } from 'commander';

export const COMPLETION_SHELLS = ['bash'] as const;

/** The words that may follow each command path ('' for the top level): subcommands and long options. */
export function completionWords(program: Command): Map<string, string[]> {
  const words = new Map<string, string[]>();
  const visit = (command: Command, path: string[], inherited: string[]) => {
    const own = command.options.map((option) => option.long).filter((long): long is string => Boolean(long));
    const options = [...inherited, ...own];
    words.set(path.join(' '), [...command.commands.map((sub) => sub.name()), ...options, '--help']);
    for (const sub of command.commands) visit(sub, [...path, sub.name()], path.length === 0 ? own : inherited);
  };
  visit(program, [], []);
  return words;
}

/** A bash script completing yangguang's commands and options (files for the rest). */
export function bashCompletion(program: Command): string {
  const cases = [...completionWords(program)].map(([path, words]) => `    "${path}") words="${words.join(' ')}" ;;`).join('\n');
  const name = program.name();
  return `# ${name} completion for bash: source <(${name} completion bash)
_${name}_complete() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" path="" word words i
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    case "$word" in -*) ;; *) if [[ -n "$(_${name}_words "\${path:+$path }$word")" ]]; then path="\${path:+$path }$word"; fi ;; esac
  done
  words="$(_${name}_words "$path")"
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
  [[ \${#COMPREPLY[@]} -eq 0 ]] && COMPREPLY=($(compgen -f -- "$cur"))
}
_${name}_words() {
  local words=""
  case "$1" in
${cases}
  esac
  echo "$words"
}
complete -F _${name}_complete ${name}
`;
}

export function printCompletion(program: Command, shell: string): void {
  if (shell === 'bash') process.stdout.write(bashCompletion(program));
}
