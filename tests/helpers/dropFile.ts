// Drops a file the way a browser does: drag events carrying a DataTransfer, dispatched on `target`.
import type { Locator, Page } from '@playwright/test';

export async function dropFile(page: Page, target: Locator, name: string, content: string | Buffer): Promise<void> {
  const bytes = [...(typeof content === 'string' ? Buffer.from(content, 'utf8') : content)];
  const type = typeof content === 'string' ? 'text/plain' : '';
  const dataTransfer = await page.evaluateHandle(
    ({ name, bytes, type }) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(bytes)], name, { type }));
      return transfer;
    },
    { name, bytes, type },
  );
  await target.dispatchEvent('dragenter', { dataTransfer });
  await target.dispatchEvent('dragover', { dataTransfer });
  await target.dispatchEvent('drop', { dataTransfer });
}
