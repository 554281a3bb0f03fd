// app/api/tactful/[...path]/route.js — a Next.js App Router route handler (any framework whose
// handlers take a Request and return a Response works the same way).
import { routeHandlers } from '../../../../tactful.js';

export const runtime = 'nodejs'; // the decision server needs Node (SQLite, node:crypto)
export const dynamic = 'force-dynamic'; // never cache: every answer is about one person

export const { GET, POST, PATCH, DELETE, OPTIONS, HEAD } = routeHandlers('/api/tactful');
