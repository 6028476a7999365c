// Steps a person takes, shared by specs.
import { expect, type Page } from "@playwright/test";

export const OWNER = { name: "Olivia Owner", email: "owner@agency.test", password: "correct horse battery", workspace: "Acme Agency" };

export async function completeSetup(page: Page, baseUrl: string, who = OWNER) {
  await page.goto(`${baseUrl}/`);
  await expect(page).toHaveURL(/\/setup$/);
  await page.getByLabel("Your name").fill(who.name);
  await page.getByLabel("Email").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByLabel("Agency workspace name").fill(who.workspace);
  await page.getByRole("button", { name: "Create owner and workspace" }).click();
  await expect(page.getByRole("heading", { name: "Brands" })).toBeVisible();
}

export async function signIn(page: Page, baseUrl: string, email: string, password: string) {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

export async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
}

/** The form-level error (Next's route announcer is also role=alert, so scope to the form). */
export function formAlert(page: Page) {
  return page.locator("form [role=alert]").first();
}
