/*
 * Preloaded into measured child processes (`node --import <this file> ...`): at exit, writes the process's
 * own resource usage (peak RSS, CPU) to the file named by BENCH_RUSAGE_FILE. It costs nothing until exit
 * and does not change what the measured program does.
 */
import { writeFileSync } from "node:fs";

const target = process.env["BENCH_RUSAGE_FILE"];
if (target !== undefined && target !== "") {
  delete process.env["BENCH_RUSAGE_FILE"];
  process.on("exit", () => {
    const usage = process.resourceUsage();
    writeFileSync(
      target,
      JSON.stringify({
        maxRssKb: usage.maxRSS,
        userMs: usage.userCPUTime / 1000,
        systemMs: usage.systemCPUTime / 1000,
        uptimeMs: process.uptime() * 1000,
      }),
    );
  });
}
