/**
 * What a newcomer is told when `npm start` (or a test run, which starts the same engines) cannot
 * start: the problem in one line, then what to do. main.ts prints a SetupProblem as it is, never
 * a stack trace. Each helper here is cheap and never throws: advice must not fail itself.
 */
import { accessSync, constants, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';

/** What kind of problem it is: tests and callers branch on it, people read the message. */
export type SetupProblemCode = 'java_missing' | 'java_too_old' | 'port_taken' | 'anvil_missing' | 'bad_setting';

/** A start-up problem the person can fix; the message is the problem, then the advice, one step a line. */
export class SetupProblem extends Error {
  constructor(
    readonly code: SetupProblemCode,
    readonly problem: string,
    readonly advice: readonly string[],
  ) {
    super([problem, ...advice.map((line) => `  ${line}`)].join('\n'));
    this.name = 'SetupProblem';
  }
}

// ---------------------------------------------------------------------------------------------
// Java (DynamoDB Local)
// ---------------------------------------------------------------------------------------------

const JAVA_INSTALL = [
  'Install a Java 17 (or newer) JDK, then run npm start again:',
  '  Debian/Ubuntu:  sudo apt-get install -y openjdk-17-jdk-headless',
  '  Fedora/RHEL:    sudo dnf install -y java-17-openjdk-devel',
  '  macOS:          brew install openjdk@17   (then follow brew\'s note to put it on your PATH)',
  '  Windows:        winget install Microsoft.OpenJDK.17',
  'Check it with `java -version` (17 or newer). A JDK elsewhere: set JAVA_HOME to its folder.',
];

/** `java` could not be run at all (not installed, not on PATH). */
export const javaMissing = (java: string, cause: string): SetupProblem =>
  new SetupProblem('java_missing', `DynamoDB Local (the local database) runs on Java, and ${java} could not be run (${cause}).`, JAVA_INSTALL);

/** `java` ran but is too old, or a JRE without the source launcher. */
export const javaTooOld = (java: string, stderr: string): SetupProblem =>
  new SetupProblem('java_too_old', `DynamoDB Local needs Java 17 or newer; ${java} could not run it:\n  ${stderr.trim().split('\n').slice(0, 3).join('\n  ')}`, JAVA_INSTALL);

/** Java's own words for "this JVM is too old for these classes" (or too old for source-file mode). */
export const JAVA_TOO_OLD = /UnsupportedClassVersionError|Could not find or load main class|has been compiled by a more recent version/;

/** The java binary: $JAVA_HOME/bin/java when JAVA_HOME is set, else `java` from PATH. */
export const javaCommand = (env: Record<string, string | undefined> = process.env): string =>
  env.JAVA_HOME ? join(env.JAVA_HOME, 'bin', process.platform === 'win32' ? 'java.exe' : 'java') : 'java';

// ---------------------------------------------------------------------------------------------
// Ports
// ---------------------------------------------------------------------------------------------

export type PortCheck = 'free' | 'taken' | 'denied';

/** Whether `port` can be listened on at `host` right now (listens, then closes at once). */
export function checkPort(port: number, host: string): Promise<PortCheck> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'EACCES' ? 'denied' : 'taken'));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve('free')));
  });
}

const TCP_LISTEN = '0A';
/** A bound on the /proc walk: advice is best effort, not a full scan of a busy machine. */
const PROC_FDS_MAX = 20_000;
const CMDLINE_CHARS_MAX = 120;

/**
 * Who listens on `port`, as "pid 123 (node lib/local/main.ts)", when it is cheap to tell: Linux,
 * from the kernel's socket tables and /proc; null elsewhere or when the process is not ours to see.
 */
export function portHolder(port: number): string | null {
  try {
    const inodes = new Set<string>();
    for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
      for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
        const f = line.trim().split(/\s+/);
        if (f.length > 9 && f[3] === TCP_LISTEN && Number.parseInt(f[1].split(':').at(-1) ?? '', 16) === port) inodes.add(f[9]);
      }
    }
    if (inodes.size === 0) return null;
    let seen = 0;
    for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
      let fds: string[];
      try {
        fds = readdirSync(`/proc/${pid}/fd`);
      } catch {
        continue;
      }
      for (const fd of fds) {
        if (++seen > PROC_FDS_MAX) return null;
        let link: string;
        try {
          link = readlinkSync(`/proc/${pid}/fd/${fd}`);
        } catch {
          continue;
        }
        const inode = /^socket:\[(\d+)\]$/.exec(link)?.[1];
        if (inode && inodes.has(inode)) {
          const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
          // The program and its last arguments say what it is (the flags between rarely do).
          const cmd = argv.join(' ');
          return `pid ${pid} (${cmd.length <= CMDLINE_CHARS_MAX ? cmd : `${argv[0]} ... ${cmd.slice(-(CMDLINE_CHARS_MAX - argv[0].length - 5))}`})`;
        }
      }
    }
  } catch {
    // Not Linux, or /proc is not readable: say nothing rather than guess.
  }
  return null;
}

/**
 * A port that is taken. `what` names the listener ("the HTTP API"); `choose` is how to pick
 * another (an env var line).
 */
export function portTaken(input: { port: number; host: string; what: string; choose: string; denied?: boolean }): SetupProblem {
  if (input.denied) {
    return new SetupProblem('port_taken', `Port ${input.port} on ${input.host} (${input.what}) needs administrator rights on this system.`, [`Choose a port above 1023: ${input.choose}`]);
  }
  const holder = portHolder(input.port);
  return new SetupProblem('port_taken', `Port ${input.port} on ${input.host} (${input.what}) is already in use${holder ? ` by ${holder}` : ''}.`, [
    `Choose another port: ${input.choose}`,
    holder ? 'or stop that process (an earlier `npm start`? press Ctrl+C in its terminal).' : `or find what holds it: lsof -nP -iTCP:${input.port} -sTCP:LISTEN   (Windows: netstat -ano | findstr :${input.port})`,
  ]);
}

/** The engines' own wording when their bind fails (Jetty's BindException, anvil's OS error). */
export const ADDRESS_IN_USE = /address already in use|BindException|Failed to bind to|EADDRINUSE|os error 98|os error 48|os error 10048/i;

// ---------------------------------------------------------------------------------------------
// anvil (the EVM devnet)
// ---------------------------------------------------------------------------------------------

/** The platform the npm package's anvil binary is built for. */
export const ANVIL_PACKAGE = { name: '@foundry-rs/anvil-linux-amd64', platform: 'linux', arch: 'x64' } as const;

const isExecutableFile = (path: string): boolean => {
  try {
    if (!statSync(path).isFile()) return false;
    if (process.platform !== 'win32') accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** `name` on the PATH (with .exe on Windows), or null. */
export function onPath(name: string, env: Record<string, string | undefined>, platform: string = process.platform): string | null {
  const names = platform === 'win32' ? [`${name}.exe`, name] : [name];
  for (const dir of (env.PATH ?? env.Path ?? '').split(delimiter).filter(Boolean)) {
    for (const n of names) if (isExecutableFile(join(dir, n))) return join(dir, n);
  }
  return null;
}

/**
 * Which anvil to run: ANVIL_BIN when set; else the npm package's binary on the platform it is
 * built for; else an anvil on PATH (Foundry's install puts it there); else advice for this platform.
 */
export function findAnvil(input: { env: Record<string, string | undefined>; platform: string; arch: string; packageBinary: () => string | null }): string {
  const { env, platform, arch } = input;
  if (env.ANVIL_BIN) {
    if (isExecutableFile(env.ANVIL_BIN)) return env.ANVIL_BIN;
    throw new SetupProblem('anvil_missing', `ANVIL_BIN is set to ${env.ANVIL_BIN}, which is not an executable file.`, ['Point it at an anvil binary (`which anvil` after installing Foundry), or unset it.']);
  }
  const packaged = platform === ANVIL_PACKAGE.platform && arch === ANVIL_PACKAGE.arch ? input.packageBinary() : null;
  if (packaged && isExecutableFile(packaged)) return packaged;
  const found = onPath('anvil', env, platform);
  if (found) return found;
  const bundled = platform === ANVIL_PACKAGE.platform && arch === ANVIL_PACKAGE.arch;
  return missingAnvil(
    bundled
      ? `The EVM devnet needs anvil, and ${ANVIL_PACKAGE.name} (its bundled binary) is not installed here.`
      : `The EVM devnet needs anvil. The bundled ${ANVIL_PACKAGE.name} runs on Linux x64 only, and this machine is ${platform} ${arch}.`,
    platform,
    bundled,
  );
}

function missingAnvil(problem: string, platform: string, bundled: boolean): never {
  const install =
    platform === 'win32'
      ? ['Install Foundry (it includes anvil): in WSL or Git Bash run', '  curl -L https://foundry.paradigm.xyz | bash && foundryup', 'or download anvil from https://github.com/foundry-rs/foundry/releases and put it on your PATH.']
      : ['Install Foundry (it includes anvil) and open a new terminal:', '  curl -L https://foundry.paradigm.xyz | bash && foundryup'];
  throw new SetupProblem('anvil_missing', problem, [
    ...(bundled ? ['Run `npm install` again (it brings the bundled binary), or:'] : []),
    ...install,
    'An anvil already on your PATH is used; or point ANVIL_BIN at one: ANVIL_BIN=/path/to/anvil npm start',
  ]);
}
