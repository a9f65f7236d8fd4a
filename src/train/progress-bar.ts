/**
 * A one-line progress bar on stderr when it is a terminal; otherwise (logs, CI) it stays
 * silent and only `note` lines are written, so log files do not fill with redraws.
 */
export class ProgressBar {
  private done_ = 0;
  private readonly tty = process.stderr.isTTY === true;

  constructor(
    private readonly label: string,
    private total: number,
  ) {}

  tick(status: string): void {
    this.done_++;
    if (!this.tty) return;
    const width = 24;
    const filled = Math.min(width, Math.round((this.done_ / Math.max(this.total, 1)) * width));
    process.stderr.write(`\r${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${status}`.padEnd(100).slice(0, 120));
  }

  note(line: string): void {
    if (this.tty) process.stderr.write(`\r${' '.repeat(120)}\r${this.label}: ${line}\n`);
  }

  done(): void {
    if (this.tty) process.stderr.write('\n');
  }
}
