// One generation as it streams: the prompt in muted text, the continuation appended token by token, then how it
// ended (or the error where it failed).
import { describeStop, type TokenStream } from '../../lib/tokenStream';
import { formatCount } from '../../lib/format';

export function StreamOutput({ title, prompt, stream, testId }: { title: string; prompt: string; stream: TokenStream | undefined; testId: string }) {
  return (
    <section className="stream-output" aria-label={title} data-testid={testId} data-status={stream?.status ?? 'idle'}>
      <h3 className="eval-section-title">{title}</h3>
      <p className="generated-text" aria-busy={stream?.status === 'streaming'}>
        <span className="muted">{prompt}</span>
        <span data-testid={`${testId}-text`}>{stream?.text ?? ''}</span>
        {stream?.status === 'streaming' && <span className="stream-cursor" aria-hidden="true" />}
      </p>
      <p className="muted stream-status">
        {!stream
          ? ''
          : stream.status === 'streaming'
            ? `Generating… ${formatCount(stream.tokens)} token${stream.tokens === 1 ? '' : 's'}`
            : stream.status === 'done' && stream.result
              ? `${formatCount(stream.result.tokens)} tokens; stopped because ${describeStop(stream.result.stopReason)}.`
              : ''}
      </p>
      {stream?.status === 'failed' && (
        <p className="error-text" role="alert">
          {stream.error}
        </p>
      )}
    </section>
  );
}
