// A Next.js route handler on the edge runtime (app/api/contacts/route.ts).
import { createRefold, RefoldLocalValidationError } from "../../generated/index.js";

export const runtime = "edge";

const refold = createRefold({ apiKey: process.env.REFOLD_API_KEY! });

export async function POST(request: Request): Promise<Response> {
  const { tenantId, email } = (await request.json()) as { tenantId: string; email: string };
  try {
    const created = await refold.forAccount(tenantId).hubspot.createContact({ email }, { timeoutMs: 10_000 });
    return Response.json(created, { status: 201 });
  } catch (error) {
    if (error instanceof RefoldLocalValidationError) return Response.json({ field: error.field }, { status: 400 });
    throw error;
  }
}
