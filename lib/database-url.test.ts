import path from "node:path";
import { describe, expect, it } from "vitest";
import { databaseKind, databaseUrlFrom, defaultDatabaseUrl, sqliteFilePath } from "./database-url";

describe("the default database follows the data directory", () => {
  it("is data/keyport.db with nothing configured", () => {
    expect(databaseUrlFrom({})).toBe("file:./data/keyport.db");
    expect(databaseUrlFrom({ DATABASE_URL: "  ", KEYPORT_DATA_DIR: "" })).toBe("file:./data/keyport.db");
  });

  it("moves with KEYPORT_DATA_DIR, relative or absolute", () => {
    expect(databaseUrlFrom({ KEYPORT_DATA_DIR: "data/demo" })).toBe("file:./data/demo/keyport.db");
    expect(databaseUrlFrom({ KEYPORT_DATA_DIR: "/var/lib/keyport" })).toBe("file:/var/lib/keyport/keyport.db");
    expect(sqliteFilePath(defaultDatabaseUrl("/srv/kp/"), "/elsewhere")).toBe("/srv/kp/keyport.db");
    expect(sqliteFilePath(defaultDatabaseUrl("state"), "/app")).toBe(path.join("/app", "state", "keyport.db"));
  });

  it("never overrides an explicit DATABASE_URL", () => {
    expect(databaseUrlFrom({ DATABASE_URL: "file:./elsewhere.db", KEYPORT_DATA_DIR: "/x" })).toBe("file:./elsewhere.db");
    const pg = databaseUrlFrom({ DATABASE_URL: "postgresql://u@db/keyport", KEYPORT_DATA_DIR: "/x" });
    expect(databaseKind(pg)).toBe("postgres");
  });
});
