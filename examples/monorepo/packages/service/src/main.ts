import { createRefold } from "@acme/refold-client";
import { onboardCustomer } from "./onboard.js";

// The key stays on the server; REFOLD_BASE_URL points at a sandbox or the local emulator (`refold-codegen mock`).
const apiKey = process.env["REFOLD_API_KEY"];
if (!apiKey) {
  console.error("set REFOLD_API_KEY (test keys start with tk)");
  process.exit(2);
}
const baseUrl = process.env["REFOLD_BASE_URL"];
const refold = createRefold({ apiKey, ...(baseUrl ? { baseUrl } : {}), maxRetries: 1 });

const [customerId = "customer-42", email = "jane@example.com"] = process.argv.slice(2);
const result = await onboardCustomer(refold, customerId, { email, firstname: "Jane" }, "ENG");
console.log(JSON.stringify(result, null, 2));
process.exitCode = result.ok ? 0 : 1;
