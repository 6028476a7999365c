"use client";
// What an admin does to one endpoint: send a test event (and see what came back), turn it on or
// off, rotate its signing secret (shown once), delete it.
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { deleteWebhookEndpointAction, rotateWebhookSecretAction, sendWebhookTestAction, setWebhookEndpointEnabledAction, type TestEventOutcome } from "@/lib/actions/webhooks";
import { SecretReveal } from "./secret-reveal";

export function EndpointActions({ endpoint }: { endpoint: { id: string; url: string; enabled: boolean } }) {
  const router = useRouter();
  const [testing, setTesting] = useState(false);
  const [test, setTest] = useState<TestEventOutcome | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [toggling, startToggle] = useTransition();

  async function sendTest() {
    setTesting(true);
    setTest(null);
    try {
      const result = await sendWebhookTestAction({ endpointId: endpoint.id });
      if (!result.ok) toast.error(result.error);
      else setTest(result.data);
      router.refresh();
    } catch {
      toast.error("Keyport could not send the test event. Check your connection and try again.");
    } finally {
      setTesting(false);
    }
  }

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap gap-2">
        <Button size="sm" onClick={sendTest} pending={testing}>
          {testing ? "Sending…" : "Send test event"}
        </Button>
        <Button
          size="sm"
          variant="secondary"
          pending={toggling}
          onClick={() =>
            startToggle(async () => {
              const result = await setWebhookEndpointEnabledAction({ endpointId: endpoint.id, enabled: !endpoint.enabled });
              if (!result.ok) toast.error(result.error);
              else toast.success(endpoint.enabled ? "Endpoint turned off: no events are sent to it." : "Endpoint turned on.");
              router.refresh();
            })
          }
        >
          {endpoint.enabled ? "Turn off" : "Turn on"}
        </Button>
        <ConfirmDialog
          trigger={
            <Button size="sm" variant="secondary">
              Rotate secret
            </Button>
          }
          title="Rotate the signing secret?"
          description={
            <p>
              Keyport makes a new secret and shows it once. For the next 24 hours it signs with both the new and the old secret, so your receiver keeps
              verifying while you switch it over.
            </p>
          }
          confirmLabel="Rotate secret"
          onConfirm={async () => {
            const result = await rotateWebhookSecretAction({ endpointId: endpoint.id });
            if (!result.ok) {
              toast.error(result.error);
              return false;
            }
            setSecret(result.data.secret);
            router.refresh();
            return true;
          }}
        />
        <ConfirmDialog
          trigger={
            <Button size="sm" variant="ghost-danger">
              Delete
            </Button>
          }
          title="Delete this endpoint?"
          description={
            <p>
              <span className="break-all">{endpoint.url}</span> stops receiving events at once, and its delivery log is deleted with it.
            </p>
          }
          confirmLabel="Delete endpoint"
          onConfirm={async () => {
            const result = await deleteWebhookEndpointAction({ endpointId: endpoint.id });
            if (!result.ok) {
              toast.error(result.error);
              return false;
            }
            toast.success("Endpoint deleted.");
            router.push("/settings/webhooks");
            return true;
          }}
        />
      </div>
      <div aria-live="polite">
        {test ? (
          <p
            role="status"
            data-testid="test-result"
            className={test.delivered ? "rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900" : "rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-900"}
          >
            {test.delivered ? `Test event delivered: the endpoint answered ${test.statusCode} in ${test.durationMs} ms.` : `Test event not delivered: ${test.error ?? "unknown error"}`}
          </p>
        ) : null}
        {secret ? <SecretReveal secret={secret} title="New signing secret" note="The previous secret also signs for the next 24 hours." /> : null}
      </div>
    </div>
  );
}
