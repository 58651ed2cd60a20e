// The API docs page (GET /docs): fetches /openapi.json and renders every operation, its parameters, request body and
// responses, grouped by tag (the native API, then the DeepL and LibreTranslate faces), and the component schemas, as
// plain HTML. A few dozen lines instead of Swagger UI from a CDN.
type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const NATIVE = 'Native API'; // the group of the operations without a tag

function el(tag: string, text?: string, className?: string): HTMLElement {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function item(child: HTMLElement): HTMLElement {
  const li = el('li');
  li.append(child);
  return li;
}

/** The name of a `#/components/schemas/X` reference, linked to its section below. */
function refLink(ref: string): HTMLElement {
  const name = ref.split('/').pop() ?? ref;
  const link = el('a', name);
  link.setAttribute('href', `#schema-${name}`);
  return link;
}

/** One line saying what a schema is: its type, constraints and description. */
function summary(schema: Json): string {
  const type = Array.isArray(schema.enum) ? `one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}` : String(schema.type ?? 'any');
  const limits = ['minimum', 'maximum', 'minLength', 'maxLength', 'minItems', 'maxItems', 'pattern', 'format', 'default']
    .filter((key) => schema[key] !== undefined)
    .map((key) => `${key} ${JSON.stringify(schema[key])}`);
  return [type, ...limits].join(', ') + (typeof schema.description === 'string' ? ` — ${schema.description}` : '');
}

/** A schema as nested definition lists (objects), "array of" (arrays), alternatives, or links to components. */
function renderSchema(schema: unknown): HTMLElement {
  if (!isObject(schema)) return el('span', 'any');
  if (typeof schema.$ref === 'string') return refLink(schema.$ref);
  const variants = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(variants)) {
    const [wrap, list] = [el('div', 'one of:'), el('ul')];
    for (const variant of variants) list.append(item(renderSchema(variant)));
    wrap.append(list);
    return wrap;
  }
  if (schema.type === 'array') {
    const wrap = el('span', 'array of ');
    wrap.append(renderSchema(schema.items));
    return wrap;
  }
  if (!isObject(schema.properties)) return el('span', summary(schema));
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  const list = el('dl', undefined, 'schema');
  for (const [name, property] of Object.entries(schema.properties)) {
    list.append(el('dt', `${name}${required.has(name) ? '' : '?'}`));
    const dd = el('dd');
    dd.append(isObject(property) && !property.$ref && property.type !== 'object' && property.type !== 'array' ? el('span', summary(property)) : renderSchema(property));
    list.append(dd);
  }
  return list;
}

function renderOperation(path: string, method: string, op: Json): HTMLElement {
  const section = el('section', undefined, 'op');
  section.append(el('h3', `${method.toUpperCase()} ${path}`));
  if (typeof op.summary === 'string') section.append(el('p', op.summary));
  const parameters = Array.isArray(op.parameters) ? op.parameters.filter(isObject) : [];
  if (parameters.length > 0) {
    section.append(el('h4', 'Parameters'));
    const list = el('dl', undefined, 'schema');
    for (const p of parameters) list.append(el('dt', `${p.name} (${p.in})${p.required ? '' : '?'}`), el('dd', isObject(p.schema) ? summary(p.schema) : ''));
    section.append(list);
  }
  const body = isObject(op.requestBody) && isObject(op.requestBody.content) ? op.requestBody.content : undefined;
  for (const [type, media] of Object.entries(body ?? {})) {
    section.append(el('h4', `Request body (${type})`), renderSchema(isObject(media) ? media.schema : undefined));
  }
  section.append(el('h4', 'Responses'));
  const responses = el('dl', undefined, 'schema');
  for (const [status, response] of Object.entries(isObject(op.responses) ? op.responses : {})) {
    responses.append(el('dt', status));
    const dd = el('dd');
    if (isObject(response) && typeof response.$ref === 'string') dd.append(refLink(response.$ref));
    else if (isObject(response)) {
      dd.append(el('span', String(response.description ?? '')));
      for (const [type, media] of Object.entries(isObject(response.content) ? response.content : {})) {
        dd.append(el('div', type, 'muted'), renderSchema(isObject(media) ? media.schema : undefined));
      }
    }
    responses.append(dd);
  }
  section.append(responses);
  return section;
}

function renderComponents(doc: Json): HTMLElement[] {
  const components = isObject(doc.components) ? doc.components : {};
  const sections: HTMLElement[] = [el('h2', 'Schemas')];
  for (const kind of ['schemas', 'responses']) {
    for (const [name, schema] of Object.entries(isObject(components[kind]) ? components[kind] : {})) {
      const section = el('section', undefined, 'op');
      section.id = `schema-${name}`;
      section.append(el('h3', `${kind === 'schemas' ? 'Schema' : 'Response'} ${name}`));
      const content = isObject(schema) && isObject(schema.content) ? Object.values(schema.content)[0] : undefined;
      section.append(renderSchema(isObject(content) ? content.schema : schema));
      sections.push(section);
    }
  }
  return sections;
}

async function main(): Promise<void> {
  const root = document.getElementById('docs');
  if (!root) return;
  const doc: unknown = await (await fetch('/openapi.json')).json();
  if (!isObject(doc) || !isObject(doc.paths)) {
    root.textContent = 'The OpenAPI document could not be read.';
    return;
  }
  const info = isObject(doc.info) ? doc.info : {};
  // Operations by their first tag; the untagged ones (the native API) first.
  const groups = new Map<string, HTMLElement[]>([[NATIVE, []]]);
  for (const [path, pathItem] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = isObject(pathItem) ? pathItem[method] : undefined;
      if (!isObject(op)) continue;
      const tag = Array.isArray(op.tags) && typeof op.tags[0] === 'string' ? op.tags[0] : NATIVE;
      groups.set(tag, [...(groups.get(tag) ?? []), renderOperation(path, method, op)]);
    }
  }
  const tags = Array.isArray(doc.tags) ? doc.tags.filter(isObject) : [];
  const sections = [...groups].map(([tag, operations]) => {
    const description = tags.find((t) => t.name === tag)?.description;
    const section = el('section');
    section.append(el('h2', tag), ...(typeof description === 'string' ? [el('p', description)] : []), ...operations);
    return section;
  });
  root.replaceChildren(el('p', `${String(info.description ?? '')} OpenAPI ${String(doc.openapi)}.`), ...sections, ...renderComponents(doc));
}

void main();
