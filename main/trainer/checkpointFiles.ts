// Checkpoint file names and formats, without tfjs, so the host (CLI, app) can use them without loading a backend.

export const CHECKPOINT_FORMAT = 'tunebench-gpt2-char-v1';

/** e.g. step-000150.safetensors */
export const checkpointFileName = (step: number): string => `step-${String(step).padStart(6, '0')}.safetensors`;

/** The optimizer state saved beside a checkpoint, for resuming: step-NNNNNN.optimizer.safetensors */
export const optimizerFileFor = (checkpoint: string): string => checkpoint.replace(/\.safetensors$/, '.optimizer.safetensors');

/** A LoRA run's adapters (PEFT layout) saved beside its merged checkpoint: step-NNNNNN.lora.safetensors */
export const loraFileFor = (checkpoint: string): string => checkpoint.replace(/\.safetensors$/, '.lora.safetensors');
