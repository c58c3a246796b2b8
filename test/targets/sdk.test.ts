/**
 * The official SDK's list params (src/targets/sdk.ts): `toListParams` for `client.images.v2.list()`.
 */
import Cloudflare from "cloudflare";
import { describe, expect, it } from "vitest";
import { toListParams } from "../../src/integrations.js";
import { codes } from "../support/codes.js";
import { demoImages, emulatorWith } from "../support/list-images.js";

describe("toListParams", () => {
  it("shapes the params for client.images.v2.list", () => {
    expect(toListParams('status = "active" and priority in (4, 5) and creator = ""')).toEqual({
      meta: { "status[eq:string]": "active", "priority[in:number]": "4|5" },
      creator: "",
    });
    expect(toListParams("")).toEqual({ meta: {} });
  });

  it("refuses what the SDK's meta object cannot hold, and what the API cannot express", () => {
    expect(codes(() => toListParams("n > 1 and n > 2"))).toEqual(["duplicate-param"]);
    expect(codes(() => toListParams("a != 1"))).toEqual(["negation-not-supported"]);
  });

  it("goes through the real SDK onto the wire as the API expects", async () => {
    const { fetch, requests } = emulatorWith(demoImages(20));
    const client = new Cloudflare({ apiToken: "t", baseURL: "http://api.test/client/v4", fetch, maxRetries: 0 });
    const page = await client.images.v2.list({ account_id: "acc", ...toListParams('status = "pending" and region.name = "eu-west"') });
    expect(page.images?.map((image) => image.id)).toEqual(["img-017", "img-013", "img-009", "img-005", "img-001"]);
    expect(requests[0]).toContain("meta.status%5Beq%3Astring%5D=pending&meta.region.name%5Beq%3Astring%5D=eu-west");
  });
});
