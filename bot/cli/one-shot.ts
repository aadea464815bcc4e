/** The commands that keep their process running: a server, the shell (`start` is one or the other). */
const LONG_LIVED = new Set(["serve", "start", "shell"]);

/** Whether `arbot <command>` does its work and exits, as every command but a server and the shell does. */
export function isOneShot(command: string | undefined): boolean {
  return !LONG_LIVED.has(command ?? "");
}
