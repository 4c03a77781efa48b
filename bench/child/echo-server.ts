/*
 * The runtime figures' server: one loopback HTTP server answering every request with
 * {"node_status":"Success","data":{}}, in its own process so that the client's CPU can be measured.
 * Sends { type: "ready", port }; answers { type: "cpu" } with its own CPU time.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

const BODY = Buffer.from(JSON.stringify({ node_status: "Success", data: {} }));
let requests = 0;
const server = createServer((req, res) => {
  req.on("data", () => undefined);
  req.on("end", () => {
    requests++;
    res.writeHead(200, { "content-type": "application/json", "content-length": BODY.length });
    res.end(BODY);
  });
});
server.keepAliveTimeout = 60_000;
server.headersTimeout = 61_000;
server.listen(0, "127.0.0.1", () => {
  process.send?.({ type: "ready", port: (server.address() as AddressInfo).port });
});
process.on("message", (message: { type?: string }) => {
  if (message.type === "cpu") {
    const cpu = process.cpuUsage();
    process.send?.({ type: "cpu", userMs: cpu.user / 1000, systemMs: cpu.system / 1000, requests });
  }
  if (message.type === "close") {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  }
});
process.on("disconnect", () => process.exit(0));
