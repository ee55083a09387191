// Output helpers shared by the commands: results on stdout (a table or one JSON document), progress on stderr.
export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WriteStream;
}

export const print = (io: CliIo, text: string) => io.stdout.write(`${text}\n`);
export const printJson = (io: CliIo, value: unknown) => io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

export function printTable(io: CliIo, header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  print(io, [line(header), ...rows.map(line)].join('\n'));
}
