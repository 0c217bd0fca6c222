/**
 * `tollgate help [COMMAND]` and the answer to an unknown command, read from the usage text itself
 * (lib/cli/main.ts HELP), so a command added there with one line is listed, found and suggested.
 */

/** One usage entry: its command words (`wallet static block`) and its lines (the usage and its notes). */
export type Usage = { command: string; lines: string[] };

const USAGE_LINE = /^ {2}tollgate (.*)$/;
const WORD = /^[a-z][a-z0-9-]*(\|[a-z][a-z0-9-]*)*$/;

/** Every usage entry of the text, one per command: `block|unblock` gives two. */
export function usagesOf(help: string): Usage[] {
  const out: Usage[] = [];
  let current: Usage[] = [];
  for (const line of help.split('\n')) {
    const usage = USAGE_LINE.exec(line);
    if (usage) {
      const words: string[] = [];
      for (const token of usage[1].split(/\s+/)) {
        if (!WORD.test(token)) break;
        words.push(token);
      }
      // Each `a|b` word multiplies the entries: `postback dlq list|redrive` is two commands.
      let commands = [''];
      for (const w of words) commands = commands.flatMap((c) => w.split('|').map((alt) => (c ? `${c} ${alt}` : alt)));
      current = words.length === 0 ? [] : commands.map((command) => ({ command, lines: [line] }));
      out.push(...current);
    } else if (/^ {6,}\S/.test(line)) {
      for (const u of current) u.lines.push(line);
    } else current = [];
  }
  return out;
}

/** The commands of the usage text, in its order. */
export const commandsOf = (help: string) => [...new Set(usagesOf(help).map((u) => u.command))];

/** The usage lines of the commands that start with these words (`invoice`, `wallet static`); null when none does. */
export function helpFor(help: string, words: readonly string[]): string | null {
  const prefix = words.join(' ');
  const matches = usagesOf(help).filter((u) => u.command === prefix || u.command.startsWith(`${prefix} `));
  if (matches.length === 0) return null;
  const lines = [...new Set(matches.flatMap((u) => u.lines))];
  return `${lines.join('\n')}\n`;
}

/** What to say about a command the text does not have: the group's commands, or the groups. */
export function unknownCommand(help: string, words: readonly string[]): string {
  const commands = commandsOf(help);
  const said = words.join(' ');
  const group = commands.filter((c) => c.split(' ')[0] === words[0]);
  if (group.length > 0) return `unknown command "${said}"; ${words[0]} has: ${group.join(', ')} (see \`tollgate help ${words[0]}\`)`;
  const groups = [...new Set(commands.map((c) => c.split(' ')[0]))];
  return `unknown command "${said}"; commands: ${groups.join(', ')} (see \`tollgate help\`)`;
}
