// An Ollama Modelfile beside the .gguf (`ollama create NAME -f Modelfile`): FROM ./model.gguf, a TEMPLATE in Go
// template syntax when the base's Jinja chat template is one of the three well-known layouts (ChatML as Qwen writes
// it, Llama 3's header tokens, Gemma's turns), the raw prompt for a model without a chat template, and otherwise no
// TEMPLATE with a comment saying why (Ollama then reads tokenizer.chat_template from the GGUF where it knows it);
// PARAMETER stop for every end-of-sequence token; num_ctx no longer than the context the model was trained for.

export interface ModelfileInput {
  gguf: string; // file name beside the Modelfile
  chatTemplate: string | null;
  stops: string[];
  contextLength: number;
  description: string;
}

const CHATML = `{{- if .System }}<|im_start|>system
{{ .System }}<|im_end|>
{{ end }}{{- range .Messages }}<|im_start|>{{ .Role }}
{{ .Content }}<|im_end|>
{{ end }}<|im_start|>assistant
`;

const LLAMA3 = `{{- if .System }}<|start_header_id|>system<|end_header_id|>

{{ .System }}<|eot_id|>{{ end }}{{- range .Messages }}<|start_header_id|>{{ .Role }}<|end_header_id|>

{{ .Content }}<|eot_id|>{{ end }}<|start_header_id|>assistant<|end_header_id|>

`;

const GEMMA = `{{- range $i, $_ := .Messages }}<start_of_turn>{{ if eq .Role "assistant" }}model{{ else }}user{{ end }}
{{ if and (eq $i 0) $.System }}{{ $.System }}

{{ end }}{{ .Content }}<end_of_turn>
{{ end }}<start_of_turn>model
`;

/** The Go template for a Jinja chat template, or null with the reason it is left out. */
export function translateChatTemplate(jinja: string | null): { template: string | null; note: string | null } {
  if (jinja === null) return { template: '{{ .Prompt }}', note: 'The base model has no chat template: prompts are continued as they are.' };
  if (jinja.includes('<|im_start|>') && jinja.includes('<|im_end|>')) {
    const note = /tool|think/i.test(jinja) ? 'Translated from the ChatML chat template without its tool-call and thinking parts; the full Jinja template is in the GGUF (tokenizer.chat_template).' : null;
    return { template: CHATML, note };
  }
  if (jinja.includes('<|start_header_id|>') && jinja.includes('<|eot_id|>')) {
    const note = /tool|date_string/i.test(jinja) ? "Translated from Llama 3's chat template without its tool-call and date parts; the full Jinja template is in the GGUF (tokenizer.chat_template)." : null;
    return { template: LLAMA3, note };
  }
  if (jinja.includes('<start_of_turn>') && jinja.includes('<end_of_turn>')) return { template: GEMMA, note: null };
  return { template: null, note: 'The chat template is not one this export translates to a Go template; it is in the GGUF (tokenizer.chat_template), which newer Ollama versions read.' };
}

const quote = (s: string) => JSON.stringify(s);

export function modelfile(input: ModelfileInput): string {
  const lines = [`# ${input.description}`, '# ollama create <name> -f Modelfile', `FROM ./${input.gguf}`];
  const { template, note } = translateChatTemplate(input.chatTemplate);
  if (note) lines.push(`# ${note}`);
  if (template !== null) lines.push(`TEMPLATE """${template}"""`);
  for (const stop of [...new Set(input.stops)]) if (stop.length > 0) lines.push(`PARAMETER stop ${quote(stop)}`);
  lines.push(`PARAMETER num_ctx ${Math.min(input.contextLength, 8192)}`);
  return `${lines.join('\n')}\n`;
}
