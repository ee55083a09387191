import { useState } from 'react';
import type { RunSummary } from '../../../../common/domain';
import { defaultRunId, isUsableRun } from '../../lib/runChoice';
import { useWorkbenchStore } from '../../store/store';

/**
 * The run a screen works on and the runs it may pick from (completed ones): the user's pick while it still exists,
 * else the app's selected run or the newest completed one.
 */
export function useChosenRun(): { runs: RunSummary[]; run: RunSummary | null; choose(id: string): void } {
  const all = useWorkbenchStore((s) => s.runs.list);
  const currentId = useWorkbenchStore((s) => s.runs.currentId);
  const [picked, setPicked] = useState<string | null>(null);
  const runs = all.filter(isUsableRun);
  const id = picked && runs.some((r) => r.id === picked) ? picked : defaultRunId(all, currentId);
  return { runs, run: runs.find((r) => r.id === id) ?? null, choose: setPicked };
}
