/**
 * The OpenAPI document as one HTML page, rendered on the server: no script (the app's CSP allows
 * scripts from the app only) and no CDN (deployments may have no internet). Operations grouped by
 * tag with their permission, parameters, body and answers; the schemas follow, linked by name.
 */
import type { OpenApiDocument } from './openapi';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = Record<string, Json>;

const esc = (s: unknown): string =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const anchor = (name: string) => `schema-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;

/** A schema in one line of compact type notation: `{id: integer, tags?: string[]}`, `Alert | null`. */
export function typeText(schema: unknown, depth = 0): string {
  if (!isObj(schema)) return 'any';
  const ref = schema['$ref'];
  if (typeof ref === 'string') {
    const name = ref.split('/').pop() as string;
    return `<a href="#${anchor(name)}">${esc(name)}</a>`;
  }
  for (const k of ['anyOf', 'oneOf', 'allOf'] as const) {
    const parts = schema[k];
    if (Array.isArray(parts)) return parts.map((p) => typeText(p, depth)).join(k === 'allOf' ? ' &amp; ' : ' | ');
  }
  if (Array.isArray(schema['enum'])) return schema['enum'].map((v) => `<code>${esc(JSON.stringify(v))}</code>`).join(' | ');
  if (schema['const'] !== undefined) return `<code>${esc(JSON.stringify(schema['const']))}</code>`;
  const types = Array.isArray(schema['type']) ? schema['type'] : [schema['type'] ?? (schema['properties'] ? 'object' : 'any')];
  return types.map((t) => oneType(schema, String(t), depth)).join(' | ');
}

function oneType(schema: Obj, type: string, depth: number): string {
  if (type === 'array') return `${typeText(schema['items'], depth)}[]`;
  if (type !== 'object') return esc(schema['format'] ? `${type} (${String(schema['format'])})` : type);
  const props = isObj(schema['properties']) ? schema['properties'] : {};
  const required = new Set(Array.isArray(schema['required']) ? schema['required'].map(String) : []);
  const fields = Object.entries(props).map(([k, v]) => `${esc(k)}${required.has(k) ? '' : '?'}: ${typeText(v, depth + 1)}`);
  const extra = schema['additionalProperties'];
  if (isObj(extra)) fields.push(`[key]: ${typeText(extra, depth + 1)}`);
  return fields.length === 0 ? 'object' : `{${fields.join(', ')}}`;
}

function parametersTable(params: Json | undefined): string {
  if (!Array.isArray(params) || params.length === 0) return '';
  const rows = params.filter(isObj).map((p) => {
    const s = isObj(p['schema']) ? p['schema'] : {};
    const dflt = s['default'] !== undefined ? ` = <code>${esc(JSON.stringify(s['default']))}</code>` : '';
    const note = p['description'] ?? s['description'];
    const about = note ? ` <span class="ct">${esc(note)}</span>` : '';
    return `<tr><td><code>${esc(p['name'])}</code></td><td>${esc(p['in'])}</td><td>${p['required'] ? 'yes' : ''}</td><td>${typeText(s)}${dflt}${about}</td></tr>`;
  });
  return `<table><tr><th>parameter</th><th>in</th><th>required</th><th>type</th></tr>${rows.join('')}</table>`;
}

function contentList(content: Json | undefined): string {
  if (!isObj(content)) return '';
  return Object.entries(content)
    .map(([type, media]) => `<div><span class="ct">${esc(type)}</span> ${isObj(media) ? typeText(media['schema']) : ''}</div>`)
    .join('');
}

function operation(method: string, path: string, op: Obj): string {
  const body = isObj(op['requestBody']) ? `<h4>body</h4>${contentList(op['requestBody']['content'])}` : '';
  const responses = isObj(op['responses'])
    ? Object.entries(op['responses'])
        .map(
          ([code, r]) =>
            `<li><b>${esc(code)}</b> ${isObj(r) ? esc(r['description']) : ''}${isObj(r) ? contentList(r['content']) : ''}</li>`,
        )
        .join('')
    : '';
  const description = String(op['description'] ?? '')
    .split('\n\n')
    .map((p) => `<p>${esc(p).replace(/`([^`]+)`/g, '<code>$1</code>')}</p>`)
    .join('');
  return `<section class="op" id="${esc(String(op['operationId'] ?? ''))}">
<h3><span class="m ${esc(method)}">${esc(method.toUpperCase())}</span> <code>${esc(path)}</code> — ${esc(op['summary'])}</h3>
${description}${parametersTable(op['parameters'])}${body}<h4>answers</h4><ul>${responses}</ul></section>`;
}

const STYLE = `body{font:14px/1.5 system-ui,"PingFang SC","Microsoft YaHei",sans-serif;margin:0 auto;max-width:1100px;padding:1em 2em;color:#1f2328}
h2{border-bottom:2px solid #d0d7de;margin-top:2em}h3{font-size:15px;margin:.2em 0}h4{margin:.6em 0 .2em;font-size:13px;color:#57606a}
.op{border:1px solid #d0d7de;border-radius:6px;padding:.6em 1em;margin:.8em 0}.op p{margin:.3em 0}
.m{display:inline-block;min-width:4.5em;text-align:center;border-radius:4px;color:#fff;font-size:12px;padding:1px 4px}
.get{background:#1f6feb}.post{background:#1a7f37}.put{background:#9a6700}.patch{background:#8250df}.delete{background:#cf222e}
table{border-collapse:collapse;margin:.3em 0}td,th{border:1px solid #d0d7de;padding:2px 8px;text-align:left;vertical-align:top}
code{background:#f6f8fa;padding:0 3px;border-radius:3px}.ct{color:#57606a}nav a{margin-right:1em}ul{margin:.2em 0}
.schema{margin:.6em 0}`;

/** The document as an HTML page. */
export function apiDocsPage(doc: OpenApiDocument): string {
  const byTag = new Map<string, string[]>();
  for (const [path, item] of Object.entries((doc.paths ?? {}) as Record<string, Obj>)) {
    for (const [method, op] of Object.entries(item)) {
      if (!isObj(op)) continue;
      const tag = Array.isArray(op['tags']) ? String(op['tags'][0]) : 'api';
      byTag.set(tag, [...(byTag.get(tag) ?? []), operation(method, path, op)]);
    }
  }
  const tags = [...byTag.keys()].sort();
  const schemas = Object.entries((doc.components?.schemas ?? {}) as Record<string, Obj>)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, s]) => {
      const note = s['description'] ? ` — ${esc(s['description'])}` : '';
      return `<div class="schema" id="${anchor(name)}"><b>${esc(name)}</b>${note}<div>${typeText(s, 0)}</div></div>`;
    });
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(doc.info.title)} ${esc(doc.info.version)}</title><style>${STYLE}</style></head><body>
<h1>${esc(doc.info.title)} <small>${esc(doc.info.version)}</small></h1><p>${esc(doc.info.description ?? '')}</p>
<p>Machine-readable: <a href="openapi.json">openapi.json</a> (OpenAPI ${esc(doc.openapi)}). Sign in with the session cookie
(<code>POST /api/auth/login</code>) or send an API token as <code>Authorization: Bearer …</code>.</p>
<nav>${tags.map((t) => `<a href="#tag-${esc(t)}">${esc(t)}</a>`).join('')}<a href="#schemas">schemas</a></nav>
${tags.map((t) => `<h2 id="tag-${esc(t)}">${esc(t)}</h2>${(byTag.get(t) ?? []).join('\n')}`).join('\n')}
<h2 id="schemas">Schemas</h2>${schemas.join('\n')}</body></html>`;
}
