// The page's elements, found by id and checked: a script whose HTML lost an element fails at once, naming it.

/** The element `#id`, which must be a `type` (HTMLSelectElement...). */
export function element<T extends HTMLElement>(id: string, type: new () => T): T {
  const found = document.getElementById(id);
  if (!(found instanceof type)) throw new Error(`the page has no <${type.name}> #${id}`);
  return found;
}
