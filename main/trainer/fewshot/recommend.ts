// The one-click few-shot config for classification: common/fewShotPreset.ts holds it (the host resolves the preset
// before a trainer starts); this is its entry for the bench and tests, by dataset shape.
import type { TrainConfig } from '../../../common/config';
import { fewShotConfig, type DatasetProfile as Profile } from '../../../common/fewShotPreset';

export type DatasetProfile = Omit<Profile, 'task'>;

export function recommendFewShotConfig(profile: DatasetProfile): Partial<TrainConfig> {
  return fewShotConfig({ task: 'classify', ...profile });
}
