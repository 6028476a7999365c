// The PostgreSQL schema is derived, never edited; the migrations of both providers must be
// written for the schema as it stands (npm run db:derive -- --migration <name>).
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
// @ts-expect-error -- plain ESM script without type declarations
import { derivePostgresSchema } from "./derive-postgres-schema.mjs";

const source = readFileSync("prisma/schema.prisma", "utf8");

describe("schema drift", () => {
  it("prisma/postgres/schema.prisma is exactly what db:derive makes of prisma/schema.prisma", () => {
    expect(readFileSync("prisma/postgres/schema.prisma", "utf8")).toBe(derivePostgresSchema(source));
  });

  it.each([
    ["sqlite", "prisma/migrations", "prisma/schema.prisma"],
    ["postgres", "prisma/postgres/migrations", "prisma/postgres/schema.prisma"],
  ])("%s migrations were written for the current schema", (_kind, dir, schema) => {
    expect(readFileSync(`${dir}/schema.snapshot.prisma`, "utf8"), "run: npm run db:derive -- --migration <name>").toBe(readFileSync(schema, "utf8"));
  });

  it("both providers have the same migrations, in the same order", () => {
    const names = (dir: string) => readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
    expect(names("prisma/postgres/migrations")).toEqual(names("prisma/migrations"));
  });
});
