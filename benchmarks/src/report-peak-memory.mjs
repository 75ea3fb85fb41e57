// Loaded with `--import` into a process that `src/cli-memory.ts` measures: when that process exits, prints its peak
// resident set size (the operating system's figure, in kilobytes) as the last line of its standard error.
process.on('exit', () => {
  process.stderr.write(`\n${JSON.stringify({ peakRssKb: process.resourceUsage().maxRSS })}\n`);
});
