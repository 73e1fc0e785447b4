/** Where a command's output goes: the process's streams, or a test's capture. */
export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** All of standard input as text (`multicloud plan -`); tests inject it. Default: the process's stdin. */
  stdin?: () => Promise<string>;
}

export const processIo: Io = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stdin: readProcessStdin,
};

/** Reads the process's standard input to its end, as UTF-8. */
export async function readProcessStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}
