import type { JsonObject, JsonValue } from '../json.ts';
import type { Fields } from './params.ts';
import { int } from './params.ts';

interface Slice<T> {
  items: T[];
  page: number;
  pageSize: number;
  hasNext: boolean;
}

function slice<T>(all: T[], query: Fields): Slice<T> {
  const pageSize = Math.min(Math.max(int(query, 'PageSize') ?? 50, 1), 1000);
  const page = Math.max(int(query, 'Page') ?? 0, 0);
  const items = all.slice(page * pageSize, (page + 1) * pageSize);
  return { items, page, pageSize, hasNext: (page + 1) * pageSize < all.length };
}

function withPage(path: string, query: Fields, page: number, pageSize: number): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (key === 'Page' || key === 'PageSize' || key === 'PageToken' || value === undefined)
      continue;
    for (const one of Array.isArray(value) ? value : [value]) params.append(key, one);
  }
  params.set('PageSize', String(pageSize));
  params.set('Page', String(page));
  return `${path}?${params.toString()}`;
}

/** A 2010 API list page: relative `*_uri` fields around the named array. */
export function page2010(key: string, all: JsonObject[], path: string, query: Fields): JsonObject {
  const s = slice(all, query);
  return {
    first_page_uri: withPage(path, query, 0, s.pageSize),
    end: s.page * s.pageSize + Math.max(s.items.length - 1, 0),
    previous_page_uri: s.page > 0 ? withPage(path, query, s.page - 1, s.pageSize) : null,
    uri: withPage(path, query, s.page, s.pageSize),
    page_size: s.pageSize,
    start: s.page * s.pageSize,
    next_page_uri: s.hasNext ? withPage(path, query, s.page + 1, s.pageSize) : null,
    page: s.page,
    [key]: s.items,
  };
}

/** A TaskRouter list page: the array plus `meta` with absolute page URLs (the simulator's origin). */
export function pageV1(
  key: string,
  all: JsonObject[],
  origin: string,
  path: string,
  query: Fields,
): JsonObject {
  const s = slice(all, query);
  const meta: { [k: string]: JsonValue } = {
    page: s.page,
    page_size: s.pageSize,
    first_page_url: origin + withPage(path, query, 0, s.pageSize),
    previous_page_url: s.page > 0 ? origin + withPage(path, query, s.page - 1, s.pageSize) : null,
    url: origin + withPage(path, query, s.page, s.pageSize),
    next_page_url: s.hasNext ? origin + withPage(path, query, s.page + 1, s.pageSize) : null,
    key,
  };
  return { [key]: s.items, meta };
}
