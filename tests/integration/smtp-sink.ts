// A real SMTP server in the test process (the smtp-server package): Keyport's nodemailer talks
// SMTP to it exactly as to a mail relay. Messages are kept with their envelope and decoded
// subject and bodies, so tests read what a person's mail client would show.
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

export type Mail = { from: string; to: string[]; subject: string; text: string; html: string; raw: string };

export type SmtpSink = { url: string; port: number; mails: Mail[]; close: () => Promise<void> };

export async function startSmtpSink(): Promise<SmtpSink> {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          subject: decodeWords(header(raw, "subject")),
          text: part(raw, "text/plain"),
          html: part(raw, "text/html"),
          raw,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return { url: `smtp://127.0.0.1:${port}`, port, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

function header(raw: string, name: string): string {
  const head = raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, " ");
  return new RegExp(`^${name}:\\s*(.*)$`, "im").exec(head)?.[1] ?? "";
}

/** The decoded body of the first MIME part of this type. */
function part(raw: string, type: string): string {
  const start = raw.search(new RegExp(`Content-Type: ${type.replace("/", "\\/")}`, "i"));
  if (start < 0) return "";
  const section = raw.slice(start);
  const [headers, ...rest] = section.split(/\r?\n\r?\n/);
  const body = rest.join("\n\n").split(/\r?\n--/)[0]!;
  if (/quoted-printable/i.test(headers!)) return qp(body);
  if (/base64/i.test(headers!)) return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  return body;
}

function qp(body: string): string {
  const bytes: number[] = [];
  const text = body.replace(/=\r?\n/g, "");
  for (let i = 0; i < text.length; i++) {
    const hex = text[i] === "=" ? /^[0-9A-F]{2}/i.exec(text.slice(i + 1, i + 3)) : null;
    if (hex) {
      bytes.push(parseInt(hex[0], 16));
      i += 2;
    } else bytes.push(...Buffer.from(text[i]!, "utf8"));
  }
  return Buffer.from(bytes).toString("utf8");
}

function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, "?==?")
    .replace(/=\?utf-8\?([qb])\?([^?]*)\?=/gi, (_, enc: string, data: string) =>
      enc.toUpperCase() === "B" ? Buffer.from(data, "base64").toString("utf8") : qp(data.replace(/_/g, " ")),
    );
}
