/**
 * The bash, zsh and fish completion scripts, written from the completion spec. Each shell gets the
 * same logic: find the command (the first word that is neither a flag nor a flag's value), complete
 * a flag's value after it (service ids after the last comma, choices, file paths), flags after `-`,
 * else the command's positionals (commands and files first, cache actions, shells).
 */
import type { CommandSpec, CompletionSpec, FlagSpec, Shell, ValueKind } from './completion-spec.js';

const words = (list: readonly string[]) => list.join(' ');

/** Flags by what follows them, across every command (a flag means the same everywhere). */
function flagsByValue(spec: CompletionSpec) {
  const seen = new Map<string, FlagSpec>();
  for (const command of spec.commands) {
    for (const flag of command.flags)
      for (const name of flag.names) if (!seen.has(name)) seen.set(name, flag);
  }
  const named = (test: (value: ValueKind) => boolean) =>
    [...seen].filter(([, flag]) => test(flag.value)).map(([name]) => name);
  const choices = new Map<string, readonly string[]>();
  for (const [name, flag] of seen) if (Array.isArray(flag.value)) choices.set(name, flag.value);
  return {
    valued: named((v) => v !== 'none'),
    services: named((v) => v === 'services'),
    files: named((v) => v === 'files'),
    free: named((v) => v === 'any'),
    choices,
  };
}

const flagNames = (command: CommandSpec) => command.flags.flatMap((f) => f.names);
const commandNames = (spec: CompletionSpec) => spec.commands.map((c) => c.name).filter((n) => n !== 'check');
const positionalWords = (command: CommandSpec) =>
  Array.isArray(command.positional) ? command.positional : [];

function bash(spec: CompletionSpec): string {
  const f = flagsByValue(spec);
  const alt = (names: readonly string[]) => names.join('|');
  return `# bash completion for ti-check, written by \`ti-check completion bash\`.
# Now: source <(ti-check completion bash)
# For good: ti-check completion bash > ~/.local/share/bash-completion/completions/ti-check
_ti_check_list() {
  local head=''
  [[ $cur == *,* ]] && head=\${cur%,*},
  COMPREPLY=($(compgen -P "$head" -W "$1" -- "\${cur##*,}"))
}
_ti_check_files() {
  compopt -o filenames 2>/dev/null
  local IFS=$'\\n'
  COMPREPLY+=($(compgen -f -- "$cur"))
}
_ti_check() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]} cmd='' i word
  local valued=' ${words(f.valued)} '
  COMPREPLY=()
  # bash splits --flag=value at "=": read it as --flag value.
  if [[ $cur == = ]]; then cur=''; elif [[ $prev == = ]]; then prev=\${COMP_WORDS[COMP_CWORD-2]}; fi
  for ((i = 1; i < COMP_CWORD; i++)); do
    word=\${COMP_WORDS[i]}
    if [[ $word == = ]]; then ((i++)); continue; fi
    if [[ $valued == *" $word "* ]]; then [[ \${COMP_WORDS[i+1]} == = ]] || ((i++)); continue; fi
    [[ $word == -* ]] && continue
    case $word in ${alt(commandNames(spec))}) cmd=$word ;; *) cmd=check ;; esac
    break
  done
  case $prev in
${f.services.length ? `    ${alt(f.services)}) _ti_check_list '${words(spec.serviceIds)}'; return ;;\n` : ''}${[
  ...f.choices,
]
  .map(([name, list]) => `    ${name}) COMPREPLY=($(compgen -W '${words(list)}' -- "$cur")); return ;;\n`)
  .join(
    '',
  )}${f.files.length ? `    ${alt(f.files)}) _ti_check_files; return ;;\n` : ''}${f.free.length ? `    ${alt(f.free)}) return ;;\n` : ''}  esac
  if [[ $cur == -* ]]; then
    case $cmd in
${spec.commands
  .filter((c) => c.name !== 'check')
  .map((c) => `      ${c.name}) COMPREPLY=($(compgen -W '${words(flagNames(c))}' -- "$cur")) ;;\n`)
  .join(
    '',
  )}      *) COMPREPLY=($(compgen -W '${words(flagNames(spec.commands[0] as CommandSpec))}' -- "$cur")) ;;
    esac
    return
  fi
  case $cmd in
    '') COMPREPLY=($(compgen -W '${words(commandNames(spec))}' -- "$cur")); _ti_check_files ;;
${spec.commands
  .map((c) =>
    c.positional === 'files'
      ? `    ${c.name}) _ti_check_files ;;\n`
      : positionalWords(c).length
        ? `    ${c.name}) COMPREPLY=($(compgen -W '${words(positionalWords(c))}' -- "$cur")) ;;\n`
        : '',
  )
  .join('')}  esac
}
complete -F _ti_check ti-check
`;
}

function zsh(spec: CompletionSpec): string {
  const f = flagsByValue(spec);
  const alt = (names: readonly string[]) => names.join('|');
  return `#compdef ti-check
# zsh completion for ti-check, written by \`ti-check completion zsh\`.
# Now (after compinit): source <(ti-check completion zsh)
# For good: ti-check completion zsh > "\${fpath[1]}/_ti-check"
_ti_check() {
  local cur=\${words[CURRENT]} prev=\${words[CURRENT-1]} cmd='' word i
  local -a valued=(${words(f.valued)})
  for ((i = 2; i < CURRENT; i++)); do
    word=\${words[i]}
    if (( \${valued[(Ie)$word]} )); then ((i++)); continue; fi
    [[ $word == -* ]] && continue
    case $word in ${alt(commandNames(spec))}) cmd=$word ;; *) cmd=check ;; esac
    break
  done
  if [[ $cur == --*=* ]]; then prev=\${cur%%=*}; compset -P '*='; cur=\${cur#*=}; fi
  case $prev in
${f.services.length ? `    ${alt(f.services)}) compset -P '*,'; compadd -- ${words(spec.serviceIds)}; return ;;\n` : ''}${[
  ...f.choices,
]
  .map(([name, list]) => `    ${name}) compadd -- ${words(list)}; return ;;\n`)
  .join(
    '',
  )}${f.files.length ? `    ${alt(f.files)}) _files; return ;;\n` : ''}${f.free.length ? `    ${alt(f.free)}) _message value; return ;;\n` : ''}  esac
  if [[ $cur == -* ]]; then
    case $cmd in
${spec.commands
  .filter((c) => c.name !== 'check')
  .map((c) => `      ${c.name}) compadd -- ${words(flagNames(c))} ;;\n`)
  .join('')}      *) compadd -- ${words(flagNames(spec.commands[0] as CommandSpec))} ;;
    esac
    return
  fi
  case $cmd in
    '') compadd -- ${words(commandNames(spec))}; _files ;;
${spec.commands
  .map((c) =>
    c.positional === 'files'
      ? `    ${c.name}) _files ;;\n`
      : positionalWords(c).length
        ? `    ${c.name}) compadd -- ${words(positionalWords(c))} ;;\n`
        : '',
  )
  .join('')}  esac
}
if [[ \${funcstack[1]} == _ti_check ]]; then _ti_check "$@"; else compdef _ti_check ti-check; fi
`;
}

function fish(spec: CompletionSpec): string {
  const f = flagsByValue(spec);
  const list = (names: readonly string[]) => names.map((n) => `'${n}'`).join(' ');
  return `# fish completion for ti-check, written by \`ti-check completion fish\`.
# Now: ti-check completion fish | source
# For good: ti-check completion fish > ~/.config/fish/completions/ti-check.fish
function __ti_check_complete
    set -l tokens (commandline -opc)
    set -l cur (commandline -ct)
    set -e tokens[1]
    set -l cmd ''
    set -l skip 0
    for word in $tokens
        if test $skip = 1
            set skip 0
            continue
        end
        if contains -- $word ${list(f.valued)}
            set skip 1
            continue
        end
        string match -q -- '-*' $word; and continue
        if contains -- $word ${list(commandNames(spec))}
            set cmd $word
        else
            set cmd check
        end
        break
    end
    set -l prev ''
    set -q tokens[1]; and set prev $tokens[-1]
    set -l head ''
    if string match -q -- '--*=*' $cur
        set prev (string replace -r '=.*' '' -- $cur)
        set head "$prev="
        set cur (string replace -r '^[^=]*=' '' -- $cur)
    end
    switch $prev
${f.services.length ? `        case ${list(f.services)}\n            set -l done (string replace -r '[^,]*$' '' -- $cur)\n            printf '%s\\n' $head$done${'{'}${spec.serviceIds.join(',')}${'}'}\n            return\n` : ''}${[
  ...f.choices,
]
  .map(
    ([name, choices]) =>
      `        case '${name}'\n            printf '%s\\n' $head${'{'}${choices.join(',')}${'}'}\n            return\n`,
  )
  .join(
    '',
  )}${f.files.length ? `        case ${list(f.files)}\n            printf '%s\\n' $head(__fish_complete_path $cur)\n            return\n` : ''}${f.free.length ? `        case ${list(f.free)}\n            return\n` : ''}    end
    if string match -q -- '-*' $cur
        switch $cmd
${spec.commands
  .filter((c) => c.name !== 'check')
  .map((c) => `            case ${c.name}\n                printf '%s\\n' ${list(flagNames(c))}\n`)
  .join('')}            case '*'
                printf '%s\\n' ${list(flagNames(spec.commands[0] as CommandSpec))}
        end
        return
    end
    switch $cmd
        case ''
            printf '%s\\n' ${list(commandNames(spec))}
            __fish_complete_path $cur
${spec.commands
  .map((c) =>
    c.positional === 'files'
      ? `        case ${c.name}\n            __fish_complete_path $cur\n`
      : positionalWords(c).length
        ? `        case ${c.name}\n            printf '%s\\n' ${list(positionalWords(c))}\n`
        : '',
  )
  .join('')}    end
end
complete -c ti-check -f -a '(__ti_check_complete)'
`;
}

export function completionScript(shell: Shell, spec: CompletionSpec): string {
  return { bash, zsh, fish }[shell](spec);
}
