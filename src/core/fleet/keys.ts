/**
 * Where the fleet keeps things in Redis. Every key starts with KEY_PREFIX and names the service and
 * a tag of its base URL (the cache's key rule: service, base URL, hash), so a service pointed at a
 * mirror never shares answers or quota with the real one. Nothing secret is ever part of a key.
 */
import type { HashRef } from '../../model/report.js';

export const KEY_PREFIX = 'ti-check:v1:';
export const ANSWER_PATTERN = `${KEY_PREFIX}answer:*`;

export interface ServiceAt {
  service: string;
  baseUrl: string;
}

const tags = new Map<string, string>();
/** 12 hex digits of the base URL's SHA-256: short, and shows nothing of the URL itself. */
function urlTag(baseUrl: string): string {
  let tag = tags.get(baseUrl);
  if (!tag) {
    tag = process
      .getBuiltinModule('node:crypto')
      .createHash('sha256')
      .update(baseUrl)
      .digest('hex')
      .slice(0, 12);
    tags.set(baseUrl, tag);
  }
  return tag;
}

const serviceKey = (kind: string, at: ServiceAt) =>
  `${KEY_PREFIX}${kind}:${at.service}:${urlTag(at.baseUrl)}`;

export const answerKey = (at: ServiceAt, hash: HashRef) =>
  `${serviceKey('answer', at)}:${hash.type}:${hash.value}`;
export const leaseKey = (at: ServiceAt, hash: HashRef) =>
  `${serviceKey('lease', at)}:${hash.type}:${hash.value}`;
/** The sorted set of request start times in the service's current window. */
export const windowKey = (at: ServiceAt) => serviceKey('window', at);
/** Requests started on a UTC day (`2026-12-04`), kept two days. */
export const dayKey = (at: ServiceAt, day: string) => `${serviceKey('day', at)}:${day}`;
/** Set while a 429's Retry-After holds every process back. */
export const pauseKey = (at: ServiceAt) => serviceKey('pause', at);

/** The service id of an answer key (`ti-check:v1:answer:<service>:…`). */
export function serviceOfAnswerKey(key: string): string {
  return key.slice(KEY_PREFIX.length + 'answer:'.length).split(':', 1)[0] ?? '';
}

export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
