// The decoder checkpoint's format tag, without tfjs, so the host (CLI, app) can read it without loading a backend.
export const DECODER_CHECKPOINT_FORMAT = 'tunebench-decoder-v1';
