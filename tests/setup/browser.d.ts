export interface FoundBrowser {
  path: string;
  version: string;
  source: 'TUNEBENCH_CHROMIUM' | 'the system' | "Playwright's cache";
}
export function findBrowser(): FoundBrowser | null;
export const NO_BROWSER: string;
