// `normscope completion bash|zsh`: a completion script made from the command specs, so a new flag completes as soon
// as it exists. Bash: eval "$(normscope completion bash)"; zsh: eval "$(normscope completion zsh)" (or save it as
// _normscope in a folder of $fpath).
import { COMMAND_NAMES, COMMAND_SPECS, commandFlags, type CommandName, type CommandSpec } from './commandSpecs.js';

const spec = (name: CommandName): CommandSpec => COMMAND_SPECS[name];
const TOP_FLAGS = ['--help', '--version'];

/** The bash script: a `_normscope` function registered with `complete -F`. */
export function bashCompletion(): string {
  const cases = COMMAND_NAMES.map((name) => {
    const s = spec(name);
    const values = Object.entries(s.values ?? {}).map(([flag, v]) => {
      const reply = v === 'file' ? 'compgen -f -- "$cur"' : v === 'dir' ? 'compgen -d -- "$cur"' : `compgen -W "${v.join(' ')}" -- "$cur"`;
      return `        --${flag}) COMPREPLY=( $(${reply}) ); return 0 ;;`;
    });
    const verbs = s.verbs ? `      if [[ $COMP_CWORD -eq 2 && $cur != -* ]]; then COMPREPLY=( $(compgen -W "${name === 'help' ? COMMAND_NAMES.join(' ') : s.verbs.join(' ')}" -- "$cur") ); return 0; fi\n` : '';
    const rest = s.paths || name === 'models' ? 'compgen -f -- "$cur"' : 'true';
    return [
      `    ${name})`,
      values.length ? `      case "$prev" in\n${values.join('\n')}\n      esac` : '',
      verbs + `      if [[ $cur == -* ]]; then COMPREPLY=( $(compgen -W "${commandFlags(name).join(' ')}" -- "$cur") ); else COMPREPLY=( $(${rest}) ); fi`,
      '      ;;',
    ].filter(Boolean).join('\n');
  });
  return `# normscope completion for bash: eval "$(normscope completion bash)"
_normscope() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}"
  COMPREPLY=()
  if [[ $COMP_CWORD -eq 1 ]]; then
    COMPREPLY=( $(compgen -W "${[...COMMAND_NAMES, ...TOP_FLAGS].join(' ')}" -- "$cur") )
    return 0
  fi
  case "\${COMP_WORDS[1]}" in
${cases.join('\n')}
  esac
  return 0
}
complete -o filenames -F _normscope normscope
`;
}

const zshQuote = (s: string) => s.replace(/'/g, `'\\''`).replace(/[[\]:]/g, '\\$&');

/** The zsh script: a `#compdef` function with _arguments per command. */
export function zshCompletion(): string {
  const described = COMMAND_NAMES.map((n) => `    '${n}:${zshQuote(spec(n).summary)}'`).join('\n');
  const cases = COMMAND_NAMES.map((name) => {
    const s = spec(name);
    const args = Object.entries(s.options).map(([flag, o]) => {
      const v = s.values?.[flag];
      const action = o.type === 'boolean' ? '' : v === 'file' ? ':file:_files' : v === 'dir' ? ':folder:_files -/' : v ? `:value:(${v.join(' ')})` : ':value:';
      return `'--${flag}${action}'`;
    });
    if (s.verbs) args.push(`'1:${name === 'help' ? 'command' : 'verb'}:(${(name === 'help' ? COMMAND_NAMES : s.verbs).join(' ')})'`);
    if (s.paths || name === 'models') args.push(`'*:path:_files'`);
    return `    ${name}) _arguments ${args.join(' ')} ;;`;
  });
  return `#compdef normscope
# normscope completion for zsh: eval "$(normscope completion zsh)", or save as _normscope in a folder of $fpath
_normscope() {
  local -a commands
  commands=(
${described}
  )
  if (( CURRENT == 2 )); then
    _describe 'command' commands
    _arguments '--help' '--version'
    return
  fi
  local cmd=$words[2]
  shift words
  (( CURRENT-- ))
  case $cmd in
${cases.join('\n')}
  esac
}
compdef _normscope normscope
`;
}
