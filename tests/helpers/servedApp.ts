// An e2e suite's `tunebench serve` on a fresh data directory: started before the suite's tests, stopped after them.
import { test, type Page } from '@playwright/test';
import { assertBuilt, startServe, tempDir } from './cli';

/** Registers the suite's server; call the returned function inside a test for its URL. */
export function servedApp(): () => string {
  let server: Awaited<ReturnType<typeof startServe>> | undefined;
  test.beforeAll(async () => {
    assertBuilt();
    server = await startServe(tempDir());
  });
  test.afterAll(async () => server?.stop());
  return () => server!.url;
}

/** The sidebar button of a screen. */
export const nav = (page: Page, name: string) => page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name, exact: true });
