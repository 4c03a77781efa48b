// npm run demo: starts the emulator on loopback with the committed lock, calls a few generated functions
// and prints what they resolve to (and how a failure looks). Nothing leaves this machine.
import { createRefold, RefoldError } from "../generated/index.js";
import { readLock } from "../generator/lock/read.js";
import { startMock } from "../generator/mock/index.js";

const lock = await readLock("refold.lock.json");
if (!lock) throw new Error("refold.lock.json is missing: run `npm run generate` first");
const server = await startMock({ apps: lock.apps, apiKey: "tk_demo_key" });
try {
  const refold = createRefold({ apiKey: "tk_demo_key", baseUrl: server.url, linkedAccountId: "demo-user-1" });

  const created = await refold.hubspot.createContact({ email: "jane@example.com", firstname: "Jane" });
  console.log("hubspot.createContact ->", JSON.stringify(created, null, 2));

  const account = refold.forAccount("customer-42");
  const page = await account.hubspot.searchContacts({
    propertyName: "email",
    operator: "EQ",
    value: "jane@example.com",
    limit: "1",
  });
  console.log("forAccount('customer-42').hubspot.searchContacts ->", JSON.stringify(page, null, 2));

  try {
    // A call the emulator rejects: plain JavaScript callers can send anything, so show the typed error.
    await refold.slack.sendMessage({ channel: "C123" }, { maxRetries: 0 });
  } catch (error) {
    if (!(error instanceof RefoldError)) throw error;
    console.log(`slack.sendMessage rejected: ${error.name} (status ${String(error.status)}): ${error.message}`);
  }
} finally {
  await server.close();
}
